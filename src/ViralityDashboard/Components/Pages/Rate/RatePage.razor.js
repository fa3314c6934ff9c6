// The Rate page's shortcuts work page-wide, not only while the rating panel has focus (after a click on the video
// or its title, "6" did nothing). Ignored while typing (text fields, selects, editable text, MudBlazor's listboxes
// and dialogs) or with Ctrl, Alt or Meta held. Keys that a focused link or button acts on itself (Enter, and
// Backspace and ← for symmetry) are left to it outside the panel; Tab and ↑/↓ move between dimensions only inside the
// panel, and Tab leaves the panel past its first or last dimension, so the keyboard is never trapped there. The page
// decides that edge (keys reach it in order; the focus shown here may lag a quick typist) and this moves the focus.
const typing = 'input, textarea, select, [contenteditable]:not([contenteditable="false"]), [role="textbox"], [role="combobox"], [role="listbox"], [role="menu"], [role="dialog"]';
const actsOnKeys = 'a[href], button, summary, [role="button"], [role="link"], [role="checkbox"], [role="switch"], [role="tab"], [role="option"], [role="menuitem"]';

let current;

export function listen(page) {
    stop();
    current = event => {
        if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing)
            return;
        const target = event.target instanceof Element ? event.target : null;
        if (target?.closest(typing))
            return;
        const panel = document.querySelector("[data-rate-panel]");
        const inPanel = !!(panel && target && panel.contains(target));
        const key = event.key;
        let handled;
        if (key === "s" || key === "S")
            handled = true;
        else if (key === "Backspace" || key === "ArrowLeft")
            handled = inPanel || !target?.closest(actsOnKeys);
        else if (!panel) // a viewer, or no video: only moving through the queue
            handled = false;
        else if (/^[0-9]$/.test(key))
            handled = true;
        else if (key === "Enter")
            handled = inPanel || !target?.closest(actsOnKeys);
        else if (key === "ArrowUp" || key === "ArrowDown")
            handled = inPanel;
        else if (key === "Tab")
            handled = inPanel;
        if (!handled)
            return;
        event.preventDefault();
        const backwards = event.shiftKey;
        page.invokeMethodAsync("OnKeyAsync", key, backwards).then(leave => {
            if (leave)
                focusBeside(panel, backwards);
        }, () => { });
    };
    document.addEventListener("keydown", current);
}

// The element Tab would have reached from the panel: the next (or previous) one in the tab order outside it.
function focusBeside(panel, backwards) {
    const outside = [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
        .filter(e => e.tabIndex >= 0 && !e.disabled && !panel.contains(e) && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden");
    const after = e => panel.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING;
    (backwards ? outside.filter(e => !after(e)).pop() : outside.find(after))?.focus();
}

export function stop() {
    if (current)
        document.removeEventListener("keydown", current);
    current = undefined;
}
