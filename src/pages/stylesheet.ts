/**
 * The site's only stylesheet, served from /style.css so that the
 * Content-Security-Policy can forbid inline styles. Colours meet WCAG AA
 * contrast in both themes; the dark theme follows the system setting.
 */
export const STYLESHEET = `:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#555;--bg:#fff;--link:#0b57d0;--rule:#ddd;--code-bg:#f4f4f4}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--muted:#b0b0b0;--bg:#121212;--link:#8ab4f8;--rule:#333;--code-bg:#1e1e1e}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:46rem;padding:1rem;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
a{color:var(--link)}
a:not([href]){color:inherit}
.site-header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between;border-bottom:1px solid var(--rule);padding-bottom:.5rem}
.site-title{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--fg)}
.site-header nav{display:flex;gap:1rem}
h1{line-height:1.2;font-size:clamp(1.5rem,5vw,2.25rem)}
.meta,.count,.source{color:var(--muted);font-size:.9375rem}
.articles{list-style:none;padding:0}
.articles li{border-bottom:1px solid var(--rule);padding:.25rem 0}
.articles h3{margin:.5rem 0 .25rem}
.topics{columns:14rem;padding-left:1.25rem}
.article-topics{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.article-topics a{display:inline-block;padding:.125rem .625rem;border:1px solid var(--rule);border-radius:1rem;text-decoration:none}
.article-body img{max-width:100%;height:auto}
figure{margin:1rem 0}
figcaption{color:var(--muted);font-size:.9375rem}
pre{overflow-x:auto}
table{display:block;overflow-x:auto}
.site-footer{border-top:1px solid var(--rule);margin-top:2rem}
.site-footer h2{font-size:1.125rem}
.skip-link{position:absolute;left:-100vw}
.skip-link:focus{position:static}
.feed-about{border:1px solid var(--rule);border-radius:.5rem;padding:0 1rem;margin:1.5rem 0}
.feed-about h2{font-size:1.125rem}
.feed-url{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}
.feed-url code{flex:1 1 12rem;padding:.375rem .5rem;border:1px solid var(--rule);border-radius:.25rem;background:var(--code-bg);font-size:.9375rem}
button{font:inherit;padding:.375rem .875rem;border:1px solid var(--link);border-radius:.25rem;color:var(--bg);background:var(--link);cursor:pointer}
button[hidden]{display:none}
`
