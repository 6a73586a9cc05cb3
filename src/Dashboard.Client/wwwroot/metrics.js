// Metrics charts: uPlot (wwwroot/lib/uplot, MIT) under the dashboard's CSP (script-src 'self', no eval).
// This module only adapts the server's series to uPlot: a shared time axis and cross-hair, drag-to-zoom and
// double-click-to-zoom-out reported back to .NET, markers for the cluster's changes, gaps drawn as gaps, and the
// newest minutes shaded as "still arriving".
let loading = null;

function loadUPlot() {
  if (window.uPlot) {
    return Promise.resolve(window.uPlot);
  }
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = '_content/Dashboard.Client/lib/uplot/uPlot.min.css';
      document.head.appendChild(css);
      const script = document.createElement('script');
      script.src = '_content/Dashboard.Client/lib/uplot/uPlot.iife.min.js';
      script.onload = () => resolve(window.uPlot);
      script.onerror = () => reject(new Error('uPlot could not be loaded'));
      document.head.appendChild(script);
    });
  }
  return loading;
}

const palette = ['#1e88e5', '#e53935', '#fb8c00', '#8e24aa', '#43a047', '#6d4c41', '#00897b', '#d81b60', '#3949ab', '#7cb342'];
const markerColors = { rollout: '#7e57c2', warning: '#e53935', controller: '#fb8c00', health: '#00897b', event: '#757575',
  change: '#1e88e5', rollback: '#6d4c41', 'change-failed': '#ad1457', smoke: '#43a047' };
const state = new WeakMap();

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

// One x grid from start to end at the period: a missing point is null, so uPlot draws a gap, never a zero.
function align(chart, start, end, period) {
  const xs = [];
  for (let t = start; t < end; t += period) {
    xs.push(t);
  }
  const columns = chart.series.map(s => {
    const byTime = new Map();
    s.times.forEach((t, i) => byTime.set(t, s.values[i]));
    return xs.map(t => (byTime.has(t) ? byTime.get(t) : null));
  });
  return [xs, ...columns];
}

function formatValue(unit, v) {
  if (v == null) {
    return '–';
  }
  switch (unit) {
    case 'Seconds': return v < 1 ? (v * 1000).toFixed(v < 0.01 ? 2 : 0) + ' ms' : v.toFixed(2) + ' s';
    case 'Percent': return v.toFixed(v < 1 ? 3 : 1) + ' %';
    case 'Bytes': {
      const units = ['B', 'KB', 'MB', 'GB', 'TB'];
      let i = 0;
      while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
      return v.toFixed(v < 10 && i > 0 ? 1 : 0) + ' ' + units[i];
    }
    default: return Math.abs(v) >= 1e6 ? (v / 1e6).toFixed(1) + 'M' : Math.abs(v) >= 1e4 ? (v / 1e3).toFixed(1) + 'k' : (Number.isInteger(v) ? String(v) : v.toFixed(2));
  }
}

function markersPlugin(payload) {
  return {
    hooks: {
      draw: [u => {
        const ctx = u.ctx;
        const { top, height, left, width } = u.bbox;
        ctx.save();
        // The newest minutes: CloudWatch may still add to them.
        if (payload.arrivingFrom != null && payload.arrivingFrom < payload.end) {
          const x0 = Math.max(left, u.valToPos(payload.arrivingFrom, 'x', true));
          const x1 = Math.min(left + width, u.valToPos(payload.end, 'x', true));
          if (x1 > x0) {
            ctx.fillStyle = 'rgba(128,128,128,0.15)';
            ctx.fillRect(x0, top, x1 - x0, height);
          }
        }
        for (const m of payload.markers) {
          const x = u.valToPos(m.t, 'x', true);
          if (x < left || x > left + width) {
            continue;
          }
          ctx.strokeStyle = markerColors[m.kind] || markerColors.event;
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
        }
        ctx.restore();
      }],
      // Hover and click targets for the markers: small handles along the top of the plot.
      drawClear: [u => {
        u.over.querySelectorAll('.metric-marker').forEach(e => e.remove());
        for (const m of payload.markers) {
          const x = u.valToPos(m.t, 'x');
          if (x < 0 || x > u.over.clientWidth) {
            continue;
          }
          const handle = document.createElement(m.href ? 'a' : 'span');
          handle.className = 'metric-marker metric-marker-' + m.kind;
          handle.style.left = (x - 5) + 'px';
          handle.title = m.text;
          handle.dataset.testid = 'metric-marker';
          handle.setAttribute('aria-label', m.text);
          // The plot is hidden from screen readers (the table view is its alternative): its handles stay out of the tab order.
          handle.tabIndex = -1;
          if (m.href) {
            handle.href = m.href;
          }
          u.over.appendChild(handle);
        }
      }],
    },
  };
}

export async function render(container, dotnet, payload) {
  const uPlot = await loadUPlot();
  destroy(container);
  const charts = [];
  const syncKey = 'metrics-' + Math.random().toString(36).slice(2);
  const sync = uPlot.sync(syncKey);
  const axisColor = cssVar('--mud-palette-text-secondary', '#666');
  const gridColor = cssVar('--mud-palette-lines-default', 'rgba(128,128,128,0.2)');
  const tz = payload.utc ? (ts => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC')) : (ts => new Date(ts * 1e3));
  let zooming = false;
  for (const chart of payload.charts) {
    const host = container.querySelector(`[data-chart="${chart.key}"] .metric-plot`);
    if (!host) {
      continue;
    }
    const width = Math.max(280, host.clientWidth || 600);
    const opts = {
      width,
      height: 170,
      tzDate: tz,
      legend: { show: true, live: true },
      cursor: {
        sync: { key: syncKey, setSeries: false },
        drag: { x: true, y: false, setScale: false },
        bind: {
          dblclick: () => () => {
            dotnet.invokeMethodAsync('ZoomOut');
            return null;
          },
        },
      },
      scales: { x: { time: true, min: payload.start, max: payload.end } },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, size: 72,
          values: (u, splits) => splits.map(v => formatValue(chart.unit, v)) },
      ],
      series: [
        { label: payload.timeLabel || 'Time', value: (u, v) => (v == null ? '–' : (payload.utc ? uPlot.fmtDate('{YYYY}-{MM}-{DD} {HH}:{mm}')(tz(v)) + ' UTC' : new Date(v * 1e3).toLocaleString())) },
        ...chart.series.map((s, i) => ({
          label: s.label,
          stroke: palette[i % palette.length],
          width: 1.5,
          spanGaps: false,
          points: { show: false },
          value: (u, v) => formatValue(chart.unit, v),
        })),
      ],
      hooks: {
        setSelect: [u => {
          if (u.select.width > 4 && !zooming) {
            zooming = true;
            const min = Math.floor(u.posToVal(u.select.left, 'x'));
            const max = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x'));
            u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
            dotnet.invokeMethodAsync('Zoom', min, max).finally(() => { zooming = false; });
          }
        }],
      },
      plugins: [markersPlugin(payload)],
    };
    const plot = new uPlot(opts, align(chart, payload.start, payload.end, payload.period), host);
    sync.sub(plot);
    charts.push(plot);
  }
  const resize = new ResizeObserver(() => {
    for (const plot of charts) {
      const host = plot.root.parentElement;
      if (host && host.clientWidth > 0 && Math.abs(host.clientWidth - plot.width) > 4) {
        plot.setSize({ width: host.clientWidth, height: 170 });
      }
    }
  });
  resize.observe(container);
  state.set(container, { charts, resize });
  // For tests and people: what is on screen now.
  container.dataset.drawnPeriod = String(payload.period);
  container.dataset.drawnStart = String(payload.start);
  container.dataset.drawnCharts = String(charts.length);
  return charts.length;
}

export function destroy(container) {
  const current = container && state.get(container);
  if (current) {
    current.resize.disconnect();
    current.charts.forEach(c => c.destroy());
    state.delete(container);
  }
}

export function loadTimeZone() {
  try {
    return localStorage.getItem('dashboard.metrics.tz');
  } catch {
    return null;
  }
}

export function saveTimeZone(value) {
  try {
    localStorage.setItem('dashboard.metrics.tz', value);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

export function downloadText(fileName, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
