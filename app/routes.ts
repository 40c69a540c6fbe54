import { index, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("login", "routes/login.tsx"),
  route("login/org", "routes/login-org.tsx"),
  route("login/staff", "routes/login-staff.tsx"),
  route("register", "routes/register.tsx"),
  route("logout", "routes/logout.tsx"),
  route("account/password", "routes/account-password.tsx"),
  route("workbench", "routes/workbench.tsx"),
  route("projects", "routes/projects.tsx"),
  route("projects/calls", "routes/calls.tsx"),
  route("projects/calls/:callId", "routes/call-detail.tsx"),
  route("special", "routes/special.tsx"),
  route("notices", "routes/notices.tsx"),
  route("bases", "routes/bases.tsx"),
  route("admin/users", "routes/admin-users.tsx"),
  route("admin/users/new", "routes/admin-user-new.tsx"),
  route("admin/users/:userId", "routes/admin-user-detail.tsx"),
  route("admin/audit", "routes/admin-audit.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
