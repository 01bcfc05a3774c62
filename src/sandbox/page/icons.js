// Small inline SVG icons (so the chrome does not depend on an emoji font). Always aria-hidden.
const NS = 'http://www.w3.org/2000/svg';
const PATHS = {
  lock: 'M5 7V5a3 3 0 0 1 6 0v2h1v7H4V7h1zm1.5 0h3V5a1.5 1.5 0 0 0-3 0v2z',
  chat: 'M2 3h12v8H7l-3 3v-3H2V3zm1.5 1.5v5h2v1.4l1.4-1.4h5.6v-5h-9z',
  home: 'M8 2l6 5.5V14H9.5v-4h-3v4H2V7.5L8 2zm0 2L3.5 8v4.5h1.5v-4h6v4h1.5V8L8 4z',
  pin: 'M9.5 1.5l5 5-1 1-1-.5-2.5 2.5.5 3-1 1-2.8-2.8L3 14.4l-.9-.9 3.6-3.7L2.9 7l1-1 3 .5L9.4 4l-.5-1 .6-1.5z',
  eye: 'M8 3.5c3.3 0 5.8 2.4 6.8 4.5-1 2.1-3.5 4.5-6.8 4.5S2.2 10.1 1.2 8C2.2 5.9 4.7 3.5 8 3.5zm0 1.5a3 3 0 1 0 0 6 3 3 0 0 0 0-6zm0 1.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z',
  file: 'M3 1.5h6l4 4V14.5H3v-13zm1.5 1.5v10h7V6.2H8.3V3H4.5z',
  image: 'M2 3h12v10H2V3zm1.5 1.5v6.3l2.7-2.7 2 2 2.5-3 1.8 2.1V4.5h-9z',
};

export function icon(name, size = 14) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon icon-${name}`);
  const p = document.createElementNS(NS, 'path');
  p.setAttribute('d', PATHS[name] ?? '');
  p.setAttribute('fill', 'currentColor');
  p.setAttribute('fill-rule', 'evenodd');
  svg.append(p);
  return svg;
}
