// Graywatch UI: draws the trend charts of metrics and log groups (ECharts) and reports htmx requests that failed.
(function () {
  'use strict';
  var COLOURS = { RELEASE: '#e8590c', REFERENCE: '#1c7ed6' };
  var GROUPS = { RELEASE: 'release group', REFERENCE: 'reference group' };

  function seriesOf(line) {
    var data = line.times.map(function (t, i) { return [t * 1000, line.values[i]]; });
    return {
      name: GROUPS[line.group] + (line.mean ? ' mean' : ' instances'),
      type: 'line', showSymbol: false, connectNulls: false, data: data, color: COLOURS[line.group],
      z: line.mean ? 3 : 2, silent: !line.mean, emphasis: { disabled: true },
      lineStyle: { width: line.mean ? 2.5 : 1, opacity: line.mean ? 1 : 0.3 }
    };
  }

  function optionOf(trend) {
    var series = trend.lines.map(seriesOf);
    if (series.length) series[0].markLine = marksOf(trend.marks);
    var legend = series.map(function (s) { return s.name; }).filter(function (n, i, all) { return all.indexOf(n) === i; });
    // a mark after the last sample (the round that read it) must not fall off the axis
    var lastMark = Math.max.apply(null, trend.marks.map(function (m) { return m.at * 1000; }).concat([0]));
    // open on the release and enough of the time before it to compare; zoom out for the whole history read
    var times = [].concat.apply([], trend.lines.map(function (l) { return l.times; }));
    var first = Math.min.apply(null, times) * 1000, last = Math.max(Math.max.apply(null, times) * 1000, lastMark);
    var start = trend.marks.length ? trend.marks[0].at * 1000 : first;
    var from = Math.max(first, start - Math.max(5 * 60 * 1000, 2 * (last - start)));
    return {
      animation: false, useUTC: true,
      grid: { left: 56, right: 28, top: 36, bottom: 64 },
      dataZoom: [{ type: 'inside', startValue: from, endValue: last }, { type: 'slider', startValue: from, endValue: last, height: 18, bottom: 8 }],
      legend: { top: 0, data: legend, icon: 'roundRect', itemWidth: 18, itemHeight: 4 },
      tooltip: {
        trigger: 'axis',
        // the means only: one row per group, not one per instance
        formatter: function (params) {
          var rows = params.filter(function (p) { return / mean$/.test(p.seriesName) && p.value[1] != null; });
          if (!rows.length) return '';
          var head = echarts.time.format(params[0].value[0], '{yyyy}-{MM}-{dd} {HH}:{mm}:{ss} UTC', true);
          return [head].concat(rows.map(function (p) {
            return p.marker + p.seriesName + ': ' + (+p.value[1].toPrecision(4)) + (trend.unit ? ' ' + trend.unit : '');
          })).join('<br>');
        }
      },
      xAxis: { type: 'time', max: function (extent) { return Math.max(extent.max, lastMark); } },
      yAxis: { type: 'value', scale: true, name: trend.unit || '', nameTextStyle: { align: 'right' } },
      series: series
    };
  }

  function marksOf(marks) {
    return {
      symbol: 'none', silent: true, animation: false,
      lineStyle: { type: 'dashed', color: '#667085', width: 1 },
      label: { formatter: '{b}', position: 'insideEndTop', color: '#475467', fontSize: 11 },
      data: marks.map(function (m) {
        var intercepted = m.label === 'intercepted';
        return { xAxis: m.at * 1000, name: m.label,
                 lineStyle: intercepted ? { color: '#b42318', type: 'solid' } : undefined,
                 label: intercepted ? { position: 'insideEndBottom', color: '#b42318' } : undefined };
      })
    };
  }

  // a log group's events per bucket: a bar per bucket and group, release group against reference group
  function logOptionOf(chart) {
    function bars(key, name, colour) {
      return { name: name, type: 'bar', color: colour, barMaxWidth: 12, barGap: '0%',
               data: chart.counts.filter(function (b) { return b[key] > 0; })
                                 .map(function (b) { return [(b.start + chart.bucketSeconds / 2) * 1000, b[key]]; }) };
    }
    var series = [bars('release', GROUPS.RELEASE, COLOURS.RELEASE), bars('reference', GROUPS.REFERENCE, COLOURS.REFERENCE)];
    series[0].markLine = marksOf(chart.marks);
    var times = chart.counts.map(function (b) { return b.start * 1000; }).concat(chart.marks.map(function (m) { return m.at * 1000; }));
    var first = Math.min.apply(null, times), last = Math.max.apply(null, times) + chart.bucketSeconds * 1000;
    var start = chart.marks.length ? chart.marks[0].at * 1000 : first;
    var from = Math.max(first, start - Math.max(5 * 60 * 1000, 2 * (last - start)));
    return {
      animation: false, useUTC: true,
      grid: { left: 56, right: 28, top: 36, bottom: 64 },
      dataZoom: [{ type: 'inside', startValue: from, endValue: last }, { type: 'slider', startValue: from, endValue: last, height: 18, bottom: 8 }],
      legend: { top: 0, data: [GROUPS.RELEASE, GROUPS.REFERENCE], icon: 'roundRect', itemWidth: 18, itemHeight: 4 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', min: first - chart.bucketSeconds * 1000, max: last },
      yAxis: { type: 'value', minInterval: 1, name: 'events per ' + chart.bucketSeconds + ' s', nameTextStyle: { align: 'left' } },
      series: series
    };
  }

  function drawCharts(root) {
    if (typeof echarts === 'undefined') return;
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      if (echarts.getInstanceByDom(el)) return;
      echarts.init(el).setOption(optionOf(JSON.parse(el.getAttribute('data-chart'))));
    });
    root.querySelectorAll('[data-log-chart]').forEach(function (el) {
      if (echarts.getInstanceByDom(el)) return;
      echarts.init(el).setOption(logOptionOf(JSON.parse(el.getAttribute('data-log-chart'))));
    });
  }

  function disposeCharts(root) {
    if (typeof echarts === 'undefined') return;
    root.querySelectorAll('[data-chart], [data-log-chart]').forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) chart.dispose();
    });
  }

  function flash(text) {
    var el = document.getElementById('flash');
    if (!el) return;
    el.textContent = text;
    el.hidden = !text;
  }

  document.addEventListener('DOMContentLoaded', function () {
    drawCharts(document);
    window.addEventListener('resize', function () {
      document.querySelectorAll('[data-chart], [data-log-chart]').forEach(function (el) {
        var chart = echarts.getInstanceByDom(el);
        if (chart) chart.resize();
      });
    });
    document.body.addEventListener('htmx:beforeSwap', function (e) {
      if (e.detail.shouldSwap) disposeCharts(e.detail.target);
    });
    document.body.addEventListener('htmx:afterSettle', function () { drawCharts(document); });
    document.body.addEventListener('htmx:afterRequest', function (e) {
      if (e.detail.successful) flash('');
    });
    document.body.addEventListener('htmx:responseError', function (e) {
      flash('The server could not do this (HTTP ' + e.detail.xhr.status + '). Reload the page to see where things stand.');
    });
    document.body.addEventListener('htmx:sendError', function () {
      flash('The server cannot be reached; this page is no longer up to date.');
    });
  });
})();
