// Tells a component whether a media query matches, once at start and again whenever that changes, so the server renders
// only the layout the viewport shows (the key map: the matrix or the phone list) instead of both with one hidden by CSS.
const watches = new Map();

export function watch(id, query, component) {
    const list = window.matchMedia(query);
    const changed = e => component.invokeMethodAsync('OnMediaQueryChanged', e.matches);
    list.addEventListener('change', changed);
    watches.set(id, () => list.removeEventListener('change', changed));
    return list.matches;
}

export function unwatch(id) {
    watches.get(id)?.();
    watches.delete(id);
}
