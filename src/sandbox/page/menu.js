// A menu button (aria-haspopup="menu") with arrow-key navigation; used for ⋮ More actions and overflow.
import { h } from './dom.js';

let openMenu = null;

export function closeMenus() {
  if (openMenu) openMenu();
}

/** items: [{label, onSelect}] */
export function menuButton(content, items, attrs = {}) {
  const btn = h('button', { type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', ...attrs }, content);
  const wrap = h('span', { class: 'menu-wrap' }, btn);
  let menu = null;
  const close = (refocus = false) => {
    if (!menu) return;
    menu.remove();
    menu = null;
    openMenu = null;
    btn.setAttribute('aria-expanded', 'false');
    if (refocus) btn.focus();
  };
  const open = () => {
    closeMenus();
    const label = attrs['aria-label'] ?? btn.textContent;
    menu = h('div', { role: 'menu', class: 'menu', 'aria-label': label });
    const entries = items.length ? items : [{ label: 'Nothing here', disabled: true }];
    for (const it of entries) {
      menu.append(h('button', {
        type: 'button', role: 'menuitem', tabindex: '-1', disabled: !!it.disabled,
        onclick: () => { close(true); it.onSelect?.(); },
      }, it.label));
    }
    menu.addEventListener('keydown', (e) => {
      const list = [...menu.querySelectorAll('[role=menuitem]:not([disabled])')];
      const i = list.indexOf(document.activeElement);
      if (e.key === 'ArrowDown') { e.preventDefault(); list[(i + 1) % list.length]?.focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); list[(i - 1 + list.length) % list.length]?.focus(); }
      else if (e.key === 'Home') { e.preventDefault(); list[0]?.focus(); }
      else if (e.key === 'End') { e.preventDefault(); list[list.length - 1]?.focus(); }
      else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(true); }
      else if (e.key === 'Tab') close(false);
    });
    wrap.append(menu);
    btn.setAttribute('aria-expanded', 'true');
    openMenu = () => close(false);
    menu.querySelector('[role=menuitem]:not([disabled])')?.focus();
  };
  btn.addEventListener('click', (e) => { e.stopPropagation(); menu ? close(true) : open(); });
  btn.addEventListener('keydown', (e) => { if (e.key === 'ArrowDown' && !menu) { e.preventDefault(); open(); } });
  return wrap;
}

document.addEventListener('click', (e) => {
  if (openMenu && !(e.target instanceof Element && e.target.closest('.menu'))) closeMenus();
});
