/** Chinese names for audit actions, for the audit log page. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "auth.login": "登录",
  "auth.logout": "退出登录",
  "auth.two_factor": "双因素验证",
  "account.two_factor_enable": "开启双因素认证",
  "account.two_factor_disable": "关闭双因素认证",
  "account.recovery_codes_regenerate": "重新生成恢复码",
  "user.two_factor_reset": "清除双因素认证",
  "settings.two_factor_roles": "修改双因素认证角色",
  "access.denied": "拒绝访问",
  "audit.denials_summary": "拒绝访问（汇总）",
  "audit.export": "导出审计日志",
  "account.register": "法人注册",
  "account.password_change": "修改密码",
  "account.profile": "修改账号信息",
  "outbox.resend": "重新发送消息",
  "user.create": "创建用户",
  "user.disable": "停用用户",
  "user.enable": "启用用户",
  "user.reset_password": "重置密码",
  "file.upload": "上传文件",
  "file.download": "下载文件",
  "file.delete": "删除文件",
  "application.create": "新建申报",
  "application.submit": "提交申报",
  "application.resubmit": "重新提交申报",
  "application.withdraw": "撤回申报",
  "application.recommend": "县级推荐",
  "application.decline": "不予推荐",
  "application.pass": "市级评审通过",
  "application.reject": "不予通过",
  "application.confirm": "确认拟认定",
  "application.return": "退回修改",
  "application.inspect": "实地抽查",
  "base.update_profile": "修改基地信息",
  "base.revoke": "撤销基地命名",
  "base.recommend": "推荐基地",
  "base.unrecommend": "取消推荐基地",
  "base.import": "导入基地",
  "base.export": "导出基地",
  "change_report.file": "提交变更申报",
  "change_report.approve": "同意变更申报",
  "change_report.return": "退回变更申报",
  "campaign.create": "发布动员活动",
  "campaign.update": "修改动员活动",
  "campaign.delete": "删除动员活动",
  "activity.announce": "发布活动预告",
  "activity.update": "修改活动预告",
  "activity.uscc_mismatch": "活动发布代码不符",
  "activity.report": "提交活动小结",
  "activity.report_accept": "活动小结通过",
  "activity.report_return": "活动小结退回",
  "activity.report_reminder": "活动小结催报",
  "activity.export_xlsx": "导出基地活动",
  "account.session_end": "退出登录设备",
  "user.sessions_end": "强制下线",
  "verification.submit": "提交单位认证",
  "verification.approve": "单位认证通过",
  "verification.return": "单位认证退回",
  "verification.claim": "认领码认证",
  "base.claim_code_issue": "签发账号认领码",
  "base.link_account": "关联基地账号",
  "call.create": "新建申报项目",
  "call.update": "修改申报项目",
  "holidays.save": "保存节假日设置",
  "notice.publish": "发布公示",
  "notice.close": "结束公示",
  "notice.name": "发布命名公告",
  "objection.file": "提交异议",
  "objection.handle": "处理异议",
  "application.export_xlsx": "导出申报汇总表",
  "application.export_zip": "下载申报附件",
  "user.export": "导出用户",
  "change_report.export": "导出变更申报",
  "notice.export": "导出公示",
  "objection.export": "导出公示异议",
  "activity.export_reports": "导出活动小结",
  "campaign.export": "导出动员活动",
  "call.export": "导出申报项目",
  "application.export_batch_zip": "下载整批申报附件",
  "application.export_pdf": "下载申报表PDF",
  "volunteer_team.save": "保存科技志愿服务队",
  "evaluation.rubric_save": "修改评价指标",
  "evaluation.round_create": "新建年度评价",
  "evaluation.round_update": "修改评价设置",
  "evaluation.evaluator_set": "设置评价人员",
  "evaluation.evaluator_remove": "移除评价人员",
  "evaluation.round_open": "发布年度评价（开始自评）",
  "evaluation.round_start_review": "进入县级初审",
  "evaluation.round_start_scoring": "进入评价小组评分",
  "evaluation.round_publish": "确认评价结果并公示",
  "evaluation.round_close": "评价结果公示期满",
  "evaluation.self_submit": "提交年度自评",
  "evaluation.county_pass": "年度评价初审通过",
  "evaluation.county_return": "年度评价退回补充",
  "evaluation.score_submit": "提交评价评分",
  "evaluation.scores_export": "导出评价评分",
  "evaluation.subsidy_export": "导出补助名单",
  "volunteer.add": "添加志愿者",
  "volunteer.import": "导入志愿者",
  "volunteer.leave": "志愿者退出（匿名化）",
  "volunteer.certificate": "打印志愿服务证明",
  "volunteer.export_roster": "导出志愿者名册",
  "volunteer.export_hours": "导出志愿服务时长",
  "volunteer_service.record": "登记志愿服务时长",
  "volunteer_service.delete": "删除志愿服务记录",
  "volunteer_service.confirm": "确认志愿服务记录",
};

export const OUTCOME_LABELS: Record<string, string> = { success: "成功", failure: "失败", denied: "拒绝" };

/**
 * The 对象 column: type:id, followed by the readable number the event recorded for it
 * (an application's 申报编号, kept in the detail as `applicationNo`).
 */
export function auditTargetText(e: {
  target_type: string | null;
  target_id: string | null;
  detail: string | null;
}) {
  if (!e.target_type) return "";
  let no = "";
  if (e.detail?.includes('"applicationNo"')) {
    try {
      const d = JSON.parse(e.detail) as { applicationNo?: unknown };
      if (typeof d.applicationNo === "string") no = d.applicationNo;
    } catch {
      // A detail cut at 2 KB is no longer JSON: the id alone identifies the target.
    }
  }
  return `${e.target_type}:${e.target_id ?? ""}${no ? `（${no}）` : ""}`;
}
