// The one interop module around ApexCharts (vendored in lib/apexcharts, loaded by App.razor): create a chart from the
// options the C# ApexOptions record serialised, update it, destroy it. JSON carries no functions, so the value format
// travels by name and is turned into formatters here. No inline script, no eval.

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const exact = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6 });
const small = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

// Axis labels in the chart's unit; tooltips with the exact value (up to six significant digits).
const formats = {
    count: { axis: v => count.format(v), exact: v => exact.format(v) },
    // Ticks of small totals keep three significant digits (a day of local work is a fraction of a cent).
    usd: { axis: v => (v === 0 || Math.abs(v) >= 1 ? usd.format(v) : '$' + small.format(v)), exact: v => '$' + exact.format(v) },
    usdPerThousandTickets: { axis: v => (v === 0 || Math.abs(v) >= 1 ? usd.format(v) : '$' + small.format(v)), exact: v => '$' + exact.format(v) + ' per 1,000 tickets' },
    percent: { axis: v => count.format(v * 100) + ' %', exact: v => exact.format(Math.round(v * 10000) / 100) + ' %' },
};

function prepare(json) {
    const options = JSON.parse(json);
    const format = formats[options.format] ?? formats.count;
    const narrow = options.narrowWidth;
    delete options.format;
    delete options.narrowWidth;
    const show = v => (v === null || v === undefined ? '–' : format.exact(v));
    // Lines: every series at the pointer's date; bars and slices: the one under the pointer.
    const shared = options.chart.type === 'line';
    options.tooltip = { theme: 'light', shared, intersect: !shared, y: { formatter: show },
        // Instants (datetimeUTC false: the browser's zone) to the minute; UTC days as dates.
        x: options.xaxis?.type === 'datetime' ? { format: options.xaxis.labels?.datetimeUTC === false ? 'ddd d MMM yyyy HH:mm' : 'ddd d MMM yyyy' } : {} };
    if (options.chart.type === 'donut') {
        options.plotOptions = { pie: { donut: { labels: { show: true, value: { formatter: v => format.axis(Number(v)) },
            total: { show: true, formatter: w => format.axis(w.globals.seriesTotals.reduce((a, b) => a + b, 0)) } } } } };
        options.legend.position = 'bottom';
    } else {
        options.yaxis.labels = { formatter: v => (v === null || v === undefined ? '' : format.axis(v)) };
    }
    for (const a of options.annotations?.xaxis ?? []) {
        a.label.cssClass = 'sc-annotation sc-annotation-' + a.kind;
        delete a.kind;
    }
    options.responsive = [{ breakpoint: narrow, options: { legend: { position: 'bottom', horizontalAlign: 'center' },
        yaxis: options.yaxis ? { ...options.yaxis, title: { text: undefined } } : undefined } }];
    return options;
}

// The chart takes the height its container was given (ApexCharts' '100%' follows the parent's content instead).
function sized(options, height) {
    options.chart.height = height;
    return options;
}

export function create(element, json, height) {
    const chart = new ApexCharts(element, sized(prepare(json), height));
    chart.render();
    return {
        update: next => chart.updateOptions(sized(prepare(next), height), true, false),
        destroy: () => chart.destroy(),
    };
}
