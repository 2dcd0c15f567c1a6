/* normkit: a wall poster printed from the browser goes onto the sheets of normkit's own PDF.
   The body starts at the size the fit chose for the PDF; where this browser sets the text taller
   than the PDF did, the body is stepped down until the poster is as long as its sheets. */
(function () {
  'use strict';
  var main = document.querySelector('main.poster');
  if (!main || !window.matchMedia) return;
  // the sheet's height inside the 15 mm margins, in millimetres
  var HEIGHT = { A2: 564, A3: 390, A4: 267 };
  var paper = (/\bpaper-(A[234])\b/.exec(main.className) || [])[1] || 'A3';
  var sheets = Number(main.getAttribute('data-sheets')) || 1;
  var print = window.matchMedia('print');
  var start = parseFloat(main.style.getPropertyValue('--poster-body')) || 14;
  function fit() {
    main.style.setProperty('--poster-body', start + 'pt');
    if (!print.matches) return;
    // a sheet break leaves part of a page empty: a poster of several sheets aims a little short of them
    var room = (HEIGHT[paper] * sheets * (sheets > 1 ? 0.9 : 0.98) * 96) / 25.4;
    for (var pt = start; main.getBoundingClientRect().height > room && pt > start * 0.7; ) {
      pt -= 0.25;
      main.style.setProperty('--poster-body', pt + 'pt');
    }
  }
  // the web fonts' slices arrive after the first layout: a fit made with a fallback font is made again
  if (document.fonts && document.fonts.addEventListener) document.fonts.addEventListener('loadingdone', fit);
  if (print.addEventListener) print.addEventListener('change', fit);
  else if (print.addListener) print.addListener(fit);
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', fit);
})();
