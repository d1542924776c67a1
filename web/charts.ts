/**
 * ECharts, imported piece by piece from 'echarts/core' so the bundle carries only the
 * charts used here, rendered as SVG (crisp in the PDF, selectable text).
 */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import type { EChartsCoreOption } from 'echarts/core';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type ChartOption = EChartsCoreOption;

export interface ChartClick {
  dataIndex: number;
  seriesIndex?: number;
  data?: unknown;
}

export function Chart(props: {
  option: ChartOption;
  height: number;
  label: string;
  onClick?: (e: ChartClick) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const onClick = useRef(props.onClick);
  onClick.current = props.onClick;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (e) => onClick.current?.(e as unknown as ChartClick));
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // No animation: the first render is what a person (and the PDF printer) sees.
    chart.current?.setOption({ animation: false, ...props.option }, true);
  }, [props.option]);

  return html`<div class="chart" role="img" aria-label=${props.label} ref=${ref} style=${`height:${props.height}px`}></div>`;
}
