/** Chinese names for audit actions, for the audit log page. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "auth.login": "登录",
  "auth.logout": "退出登录",
  "access.denied": "拒绝访问",
  "account.register": "法人注册",
  "account.password_change": "修改密码",
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
};

export const OUTCOME_LABELS: Record<string, string> = { success: "成功", failure: "失败", denied: "拒绝" };
