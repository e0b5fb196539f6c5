// The bar charts of the report screen: Chart.js with only the pieces a bar chart
// needs. Imported lazily by ReportPage, so that no other screen carries Chart.js.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
// The application's own type, a little larger than Chart.js's 12 px.
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', Roboto, Arial, sans-serif";
Chart.defaults.font.size = 13;

export interface BarSeries {
  label: string;
  // null: a hidden (suppressed) cell, drawn as nothing, never as a number.
  data: Array<number | null>;
  color: string;
}

export interface BarChartSpec {
  categories: string[];
  series: BarSeries[];
  // Formats a value for the axis and the tooltip in the chosen language.
  format: (n: number) => string;
  locale: string;
  // The text of a tooltip for a category that has a hidden cell.
  hiddenText: string;
}

export interface BarChart {
  destroy(): void;
}

// Draws a grouped bar chart (one bar per series in each category) into `canvas`,
// whose parent gives the size. No animation: the chart is there at once, and
// nothing moves for those who asked the system for less motion.
export function drawBarChart(canvas: HTMLCanvasElement, spec: BarChartSpec): BarChart {
  const single = spec.series.length === 1;
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: spec.categories,
      datasets: spec.series.map((s) => ({
        label: s.label,
        data: s.data,
        backgroundColor: s.color,
        borderColor: s.color,
        borderWidth: 1,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: spec.locale,
      // The canvas is one image with its own label; the table is the accessible alternative.
      plugins: {
        legend: { display: !single, position: 'bottom', labels: { color: '#1b1f24' } },
        tooltip: {
          callbacks: {
            label: (item) => {
              const v = item.raw as number | null;
              const text = v === null ? spec.hiddenText : spec.format(v);
              return single ? text : `${item.dataset.label}: ${text}`;
            },
          },
        },
      },
      scales: {
        x: { ticks: { color: '#1b1f24', autoSkip: false, maxRotation: 60 }, grid: { display: false } },
        y: {
          beginAtZero: true,
          ticks: { color: '#1b1f24', precision: 0, callback: (v) => spec.format(Number(v)) },
          grid: { color: '#d5dae0' },
        },
      },
    },
  });
  return { destroy: () => chart.destroy() };
}
