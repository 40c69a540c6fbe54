import type { TablePaginationConfig } from "antd";
import { useNavigate, useSearchParams } from "react-router";

/** Table pagination kept in the URL (?page=N), so filters, reloads and links keep the page. */
export function useUrlPagination(opts: {
  page: number;
  pageSize: number;
  total: number;
  unit: string;
}): TablePaginationConfig {
  const [sp] = useSearchParams();
  const navigate = useNavigate();
  return {
    current: opts.page,
    pageSize: opts.pageSize,
    total: opts.total,
    showSizeChanger: false,
    showTotal: (t) => `共 ${t} ${opts.unit}`,
    onChange: (p) => {
      const next = new URLSearchParams(sp);
      next.set("page", String(p));
      navigate(`?${next}`);
    },
  };
}
