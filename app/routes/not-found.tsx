import { data } from "react-router";

export function loader() {
  throw data("您访问的页面不存在", { status: 404 });
}

export default function NotFound() {
  return null;
}
