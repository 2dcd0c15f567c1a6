/** URL paths the preview server answers itself; the built site never uses them. */
export const EVENTS_PATH = '/__normkit/events';
export const PDF_PATH = '/__normkit/pdf';

/** JSON that is safe inside an inline <script>. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The preview script added to served pages (never to built files): it reloads the page when the
 * server reports a build other than the one the page came from, and, for pages that have a PDF,
 * adds a floating “PDF 预览” link.
 */
export function previewScript(buildTag: string, pdfHref: string | undefined, banner?: string): string {
  return `<script data-normkit-preview>
(function () {
  var built = ${scriptJson(buildTag)};
  var pdf = ${scriptJson(pdfHref ?? null)};
  var banner = ${scriptJson(banner ?? null)};
  if (banner) {
    var b = document.createElement('div');
    b.setAttribute('role', 'alert');
    b.setAttribute('data-normkit-preview', 'banner');
    b.textContent = banner;
    b.style.cssText = 'position:sticky;top:0;z-index:2147483647;padding:.5rem 1rem;background:#c0262d;color:#fff;font:14px/1.5 sans-serif';
    document.body.insertBefore(b, document.body.firstChild);
  }
  if (pdf) {
    var a = document.createElement('a');
    a.href = pdf;
    a.target = '_blank';
    a.rel = 'noopener';
    a.textContent = 'PDF 预览';
    a.setAttribute('data-normkit-preview', '');
    a.style.cssText = 'position:fixed;right:1rem;bottom:1rem;z-index:2147483647;padding:.4rem .8rem;border-radius:.3rem;background:#1f4e8c;color:#fff;font:14px/1.4 sans-serif;text-decoration:none;box-shadow:0 1px 4px rgba(0,0,0,.3)';
    document.body.appendChild(a);
  }
  if (!window.EventSource) return;
  var es = new EventSource(${scriptJson(EVENTS_PATH)});
  es.addEventListener('build', function (e) {
    if (e.data !== built) { es.close(); location.reload(); }
  });
  window.addEventListener('pagehide', function () { es.close(); });
})();
</script>
`;
}

/** Inserts the preview script before the last `</body>` (or at the end when there is none). */
export function injectPreview(html: string, buildTag: string, pdfHref?: string, banner?: string): string {
  const script = previewScript(buildTag, pdfHref, banner);
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at < 0 ? html + script : html.slice(0, at) + script + html.slice(at);
}
