// Plotly.Blazor loads plotly.js when its first chart draws, and queues the draws asked for meanwhile. When it has
// loaded, a queued draw whose element has gone (its tab was switched away) throws, and every draw queued after it is
// lost: a chart that stays blank. So our charts wait here until plotly.js has loaded (once, through Plotly.Blazor's own
// module, which then draws at once), and only then render Plotly.Blazor's component.
let loaded;

export function plotlyLoaded(interopPath, plotlyPath) {
    loaded ??= import(new URL(interopPath, document.baseURI).href)
        .then(module => module.importScript("plotly-import", plotlyPath))
        .catch(error => {
            loaded = undefined; // the next chart tries again
            throw error;
        });
    return loaded;
}
