// What a page looks like to a person: where the current question's choices are, whether
// the page is wider than the screen, which boxes overlap and which text does not fit its box.
() => {
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const boxes = [...document.querySelectorAll('header p, .lang, .card > p, .card > h1, .bar p, progress, label, textarea, form button')].filter(visible);
  const rect = el => el.getBoundingClientRect();
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.contains(b) || b.contains(a)) continue;
    const p = rect(a), q = rect(b);
    if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1)
      overlaps.push(a.outerHTML.slice(0, 60) + ' / ' + b.outerHTML.slice(0, 60));
  }
  const clipped = boxes.filter(el => el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'PROGRESS')
                       .map(el => el.outerHTML.slice(0, 60));
  const choices = [...document.querySelectorAll('.choices button')].map(b => [b.innerText, rect(b).top, rect(b).bottom]);
  return {height: innerHeight, width: document.documentElement.clientWidth,
          scrollWidth: document.documentElement.scrollWidth, overlaps, clipped, choices};
}
