// The app shell on statically routed pages (#app[data-routing=static]: the key map, whose only interactive part is its
// own component, and the sign-in form). No circuit stands behind their app bar and drawer, so the browser drives them:
// the menu button opens and closes the drawer (over the page below 960 px, as MudDrawer's responsive variant does), the
// theme button saves the choice in the cookie the server renders with and reloads, the user menu opens and closes.
// It also reports the system's theme in a cookie, so a page rendered while no theme is chosen can match it.
(() => {
    const wide = () => window.matchMedia('(min-width: 960px)').matches;
    const staticApp = () => {
        const app = document.getElementById('app');
        return app?.dataset.routing === 'static' ? app : null;
    };
    const cookie = name => document.cookie.split('; ').find(c => c.startsWith(name + '='))?.slice(name.length + 1);
    const setCookie = (name, value) => { document.cookie = `${name}=${value}; path=/; max-age=31536000; samesite=lax`; };

    function drawerOpen(app) {
        const drawer = app.querySelector('aside.mud-drawer');
        if (!drawer) return false;
        // As first rendered the drawer is docked open from 960 px and hidden below (MudBlazor's --initial rules).
        return drawer.classList.contains('mud-drawer--initial') ? wide() : drawer.classList.contains('mud-drawer--open');
    }

    function setDrawer(app, open) {
        const drawer = app.querySelector('aside.mud-drawer');
        if (!drawer) return;
        drawer.classList.remove('mud-drawer--initial');
        drawer.classList.toggle('mud-drawer--open', open);
        drawer.classList.toggle('mud-drawer--closed', !open);
        app.classList.toggle('mud-drawer-open-responsive-md-left', open);
        let overlay = app.querySelector('.static-drawer-overlay');
        if (open && !wide() && !overlay) {
            overlay = document.createElement('div');
            overlay.className = 'mud-overlay mud-overlay-drawer static-drawer-overlay';
            overlay.innerHTML = '<div class="mud-overlay-scrim mud-overlay-dark"></div>';
            app.appendChild(overlay);
        } else if (overlay && (!open || wide())) {
            overlay.remove();
        }
    }

    function setMenu(menu, open) {
        const list = menu.querySelector('.static-menu-list');
        if (!list) return;
        list.hidden = !open;
        menu.querySelector(':scope > button')?.setAttribute('aria-expanded', open ? 'true' : 'false');
    }

    document.addEventListener('click', e => {
        const app = staticApp();
        const target = e.target instanceof Element ? e.target : null;
        if (!app || !target) return;
        const menuButton = target.closest('.static-menu > button');
        for (const menu of app.querySelectorAll('.static-menu')) {
            if (menuButton && menu.contains(menuButton)) setMenu(menu, menu.querySelector('.static-menu-list')?.hidden === true);
            else if (!menu.contains(target)) setMenu(menu, false);
        }
        if (target.closest('button[aria-label="Toggle navigation"]')) {
            setDrawer(app, !drawerOpen(app));
        } else if (target.closest('.static-drawer-overlay') || (target.closest('aside.mud-drawer a') && !wide())) {
            setDrawer(app, false);
        } else if (target.closest('#theme-toggle')) {
            // The same cookie writer as the interactive pages' switch (js/theme.js), then the page in the chosen theme.
            import(new URL('js/theme.js', document.baseURI).href)
                .then(theme => theme.saveTheme(app.dataset.theme === 'dark' ? 'light' : 'dark'))
                .finally(() => window.location.reload());
        }
    });

    document.addEventListener('keydown', e => {
        const app = staticApp();
        if (!app || e.key !== 'Escape') return;
        for (const menu of app.querySelectorAll('.static-menu')) setMenu(menu, false);
        if (!wide() && drawerOpen(app)) setDrawer(app, false);
    });

    // The system's theme, for the server's next render while no theme is chosen. A statically routed page rendered in
    // the other one is rendered again once (the interactive pages follow the system themselves once connected).
    function reportSystemTheme() {
        try {
            followSystemTheme();
        } catch {
            // No cookies or no session storage (a locked-down browser): the page stays in the theme it was rendered in.
        }
    }

    function followSystemTheme() {
        if (cookie('kmsdash-theme')) return;
        const system = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
        if (cookie('kmsdash-system-theme') !== system) setCookie('kmsdash-system-theme', system);
        const app = staticApp();
        if (app && app.dataset.theme !== system && cookie('kmsdash-system-theme') === system
            && sessionStorage.getItem('kmsdash-system-theme-reload') !== system) {
            sessionStorage.setItem('kmsdash-system-theme-reload', system); // once: never a reload loop
            window.location.reload();
        }
    }
    reportSystemTheme();
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', reportSystemTheme);
    document.addEventListener('DOMContentLoaded', () => window.Blazor?.addEventListener?.('enhancedload', reportSystemTheme));
})();
