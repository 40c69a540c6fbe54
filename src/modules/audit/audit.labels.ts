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
  "volunteer.add": "添加志愿者",
  "volunteer.import": "导入志愿者",
  "volunteer.leave": "志愿者退出（匿名化）",
  "volunteer.certificate": "打印志愿服务证明",
  "volunteer.export_roster": "导出志愿者名册",
  "volunteer.export_hours": "导出志愿服务时长",
  "volunteer_service.record": "登记志愿服务时长",
  "volunteer_service.delete": "删除志愿服务记录",
  "volunteer_service.confirm": "确认志愿服务记录",
  "school_item.submit": "提交双减项目审核",
  "school_item.approve": "双减项目审核通过",
  "school_item.return": "双减项目审核退回",
  "school_order.create": "学校点单",
  "school_order.accept": "基地接单",
  "school_order.decline": "基地婉拒点单",
  "school_order.propose": "基地建议改期",
  "school_order.confirm_proposal": "学校确认改期",
  "school_order.reject_proposal": "学校不接受改期",
  "school_order.dispatch": "点单超时转派单",
  "school_order.reassign": "县级派单改派",
  "school_order.close": "县级派单关闭",
  "school_order.cancel": "取消点单",
  "school_order.confirm_delivery": "学校确认完成",
  "school_order.not_held": "学校报告未开展",
  "school_order.rate": "学校评价",
  "school_order.reply": "基地回复评价",
  "school_order.export": "导出双减统计",
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
