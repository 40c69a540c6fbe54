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
};

export const OUTCOME_LABELS: Record<string, string> = { success: "成功", failure: "失败", denied: "拒绝" };
