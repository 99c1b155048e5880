/**
 * An Apache ECharts chart (SVG renderer, so it is sharp at any zoom and its marks are in the DOM),
 * built from the tree-shaken parts the console uses.
 */
import { BarChart, LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;
export interface ChartClick {
  seriesName?: string;
  dataIndex: number;
}

export function Chart({ option, label, onClick, height = 240 }: { option: ChartOption; label: string; onClick?: (event: ChartClick) => void; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const clicked = useRef(onClick);
  clicked.current = onClick;

  useEffect(() => {
    const instance = echarts.init(element.current!, undefined, { renderer: "svg" });
    chart.current = instance;
    instance.on("click", (params) => clicked.current?.({ seriesName: params.seriesName, dataIndex: params.dataIndex }));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current!);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true, label: { description: label } }, ...option }, { notMerge: true });
  }, [option, label]);

  return <div className="chart" ref={element} role="img" aria-label={label} style={{ height }} />;
}
