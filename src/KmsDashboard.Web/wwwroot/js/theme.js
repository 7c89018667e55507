// Remembers the chosen theme in a cookie the server reads when it renders the next page (no flash of the wrong theme).
export function saveTheme(theme) {
    document.cookie = `kmsdash-theme=${theme === 'dark' ? 'dark' : 'light'}; path=/; max-age=31536000; samesite=lax`;
}
