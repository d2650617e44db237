import type { EChartsOption } from 'echarts';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/lib/core';

// Only the chart types the dashboard draws, so the bundle stays small. SVG keeps text crisp in
// screenshots and prints.
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);

/** One ECharts chart. The numbers it shows are always in a table beside it too (screen readers, copying). */
export function Chart({ option, label, height = 280 }: { option: EChartsOption; label: string; height?: number }) {
  return (
    <figure className="health-chart" role="img" aria-label={label}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height, width: '100%' }} opts={{ renderer: 'svg' }} />
    </figure>
  );
}
