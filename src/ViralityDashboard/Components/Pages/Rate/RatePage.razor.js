// The Rate page's shortcuts work page-wide, not only while the rating panel has focus (after a click on the video
// or its title, "6" did nothing). Ignored while typing (text fields, selects, editable text, MudBlazor's listboxes
// and dialogs) or with Ctrl, Alt or Meta held. Keys that a focused link or button acts on itself (Enter, and
// Backspace and ← for symmetry) are left to it outside the panel; Tab and ↑/↓ move between dimensions only inside the
// panel, and Tab leaves the panel past its first or last dimension, so the keyboard is never trapped there.
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
        else if (key === "Tab") {
            const focus = Number(panel.dataset.focus), last = Number(panel.dataset.count) - 1;
            handled = inPanel && !(event.shiftKey ? focus <= 0 : focus >= last);
        }
        if (!handled)
            return;
        event.preventDefault();
        page.invokeMethodAsync("OnKeyAsync", key, event.shiftKey);
    };
    document.addEventListener("keydown", current);
}

export function stop() {
    if (current)
        document.removeEventListener("keydown", current);
    current = undefined;
}
