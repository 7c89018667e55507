// Shows a view's state in the address bar without navigating (the key map's filters): the statically routed page would
// otherwise be fetched and rendered again for every change.
export function replace(url) {
    history.replaceState(history.state, '', url);
}
