import { useEffect, useRef } from "react";

export interface BarSeries {
  name: string;
  data: number[];
}

/**
 * An ECharts bar chart, loaded only in the browser (ECharts needs the DOM). The same figures are
 * shown in a table beside it, so the chart is never the only way to read them.
 */
export function BarChart(props: {
  categories: string[];
  series: BarSeries[];
  markLine?: number;
  height?: number;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { dispose(): void; resize(): void } | undefined;
    const onResize = () => chart?.resize();
    (async () => {
      const echarts = await import("echarts/core");
      const { BarChart: Bar } = await import("echarts/charts");
      const { GridComponent, LegendComponent, TooltipComponent, MarkLineComponent } = await import(
        "echarts/components"
      );
      const { CanvasRenderer } = await import("echarts/renderers");
      echarts.use([Bar, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);
      if (disposed || !ref.current) return;
      const c = echarts.init(ref.current);
      chart = c;
      c.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 16, bottom: 32, top: 40 },
        xAxis: { type: "category", data: props.categories },
        // The target line must stay in view even when every county is below it.
        yAxis: {
          type: "value",
          minInterval: 1,
          max: (v: { max: number }) => Math.max(v.max, (props.markLine ?? 0) + 1),
        },
        series: props.series.map((s, i) => ({
          type: "bar",
          name: s.name,
          data: s.data,
          ...(i === 0 && props.markLine !== undefined
            ? {
                markLine: {
                  symbol: "none",
                  data: [{ yAxis: props.markLine, name: "目标" }],
                  label: { formatter: "目标 {c}" },
                },
              }
            : {}),
        })),
      });
      window.addEventListener("resize", onResize);
    })();
    return () => {
      disposed = true;
      window.removeEventListener("resize", onResize);
      chart?.dispose();
    };
  }, [props.categories, props.series, props.markLine]);
  return (
    <div
      ref={ref}
      role="img"
      aria-label={props.label}
      style={{ width: "100%", height: props.height ?? 320 }}
    />
  );
}
