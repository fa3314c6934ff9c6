// Whether TikTok's player loaded. A frame that cannot reach TikTok still fires "load" (for Chromium's error page), and
// what it shows cannot be read from here (another origin), so the player counts as loaded only when its frame has
// loaded and a request to the same address got an answer: a "no-cors" HEAD, which fails at once without a network.
// Until both, or after timeoutMs, the overlay (cover or placeholder) stays; a player that loads later still shows.
export function watch(box, timeoutMs) {
    if (!box || box.dataset.watched)
        return;
    box.dataset.watched = "true";

    const cover = box.querySelector("img");
    if (cover) {
        // TikTok signs cover links for days: an older import's link answers 403.
        const failed = () => { box.dataset.cover = "failed"; };
        if (cover.complete && cover.naturalWidth === 0)
            failed();
        else
            cover.addEventListener("error", failed, { once: true });
    }

    const frame = box.querySelector("iframe");
    if (!frame)
        return;
    // A frame already showing another origin's page (contentDocument null) loaded before this ran.
    let loaded = frame.contentDocument === null, reachable = false;
    const fail = () => {
        if (box.dataset.state !== "embed")
            box.dataset.state = "fallback";
    };
    const show = () => {
        if (loaded && reachable)
            box.dataset.state = "embed";
    };
    frame.addEventListener("load", () => { loaded = true; show(); });
    if (navigator.onLine === false)
        fail();
    fetch(frame.src, { method: "HEAD", mode: "no-cors", credentials: "omit", cache: "no-store", signal: AbortSignal.timeout(timeoutMs) })
        .then(() => { reachable = true; show(); }, fail);
    setTimeout(() => { if (!(loaded && reachable)) fail(); }, timeoutMs);
}
