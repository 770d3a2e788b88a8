// Draws the regulator's charts with Apache ECharts (served by the app itself) from the figures in the page.
// Without ECharts the tables beside each chart show the same numbers.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("chart-data");
  if (!holder || typeof window.echarts === "undefined") return;
  var data = JSON.parse(holder.getAttribute("data-chart"));
  document.querySelectorAll(".chart[data-name]").forEach(function (el) {
    var d = data[el.getAttribute("data-name")];
    if (!d || !d.labels.length) { el.remove(); return; }
    var series = Object.keys(d.series).map(function (name) {
      return { name: name, type: "bar", data: d.series[name] };
    });
    Object.keys(d.targets || {}).forEach(function (name) {
      series.push({ name: name, type: "line", data: d.labels.map(function () { return d.targets[name]; }) });
    });
    window.echarts.init(el).setOption({
      tooltip: {}, legend: {}, xAxis: { type: "category", data: d.labels }, yAxis: { type: "value" },
      series: series, animation: false
    });
  });
});
