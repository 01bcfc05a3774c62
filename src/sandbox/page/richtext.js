// rich_text blocks: sections, lists, quotes, preformatted, with their inline elements.
import { h } from './dom.js';
import { emojify, safeHref } from './mrkdwn.js';

function styled(node, style) {
  if (!style) return node;
  let n = node;
  if (style.code) n = h('code', {}, n);
  if (style.bold) n = h('strong', {}, n);
  if (style.italic) n = h('em', {}, n);
  if (style.strike) n = h('del', {}, n);
  return n;
}

function textWithBreaks(s) {
  const frag = document.createDocumentFragment();
  String(s ?? '').split('\n').forEach((p, i) => {
    if (i) frag.append(h('br'));
    frag.append(document.createTextNode(p));
  });
  return frag;
}

function inlineEl(e, ctx) {
  switch (e.type) {
    case 'text': return styled(textWithBreaks(e.text), e.style);
    case 'link': {
      const href = safeHref(e.url ?? '');
      const label = e.text ?? e.url ?? '';
      return styled(href ? h('a', { href, target: href.startsWith('/') ? null : '_blank', rel: 'noopener noreferrer' }, label) : document.createTextNode(label), e.style);
    }
    case 'user': {
      const p = ctx.people?.find((x) => x.id === e.user_id);
      return styled(h('span', { class: 'mention', 'data-user': e.user_id }, '@' + (p ? p.realName : e.user_id === ctx.botUserId ? 'coachline' : e.user_id)), e.style);
    }
    case 'channel': {
      const c = ctx.channels?.find((x) => x.id === e.channel_id);
      return styled(h('a', { class: 'mention channel-mention', 'data-channel': e.channel_id, href: `/sandbox?c=${encodeURIComponent(e.channel_id)}` }, '#' + (c ? c.name : e.channel_id)), e.style);
    }
    case 'usergroup': return h('span', { class: 'mention' }, '@' + e.usergroup_id);
    case 'broadcast': return h('span', { class: 'mention broadcast' }, '@' + e.range);
    case 'emoji': return document.createTextNode(e.unicode ? String.fromCodePoint(...e.unicode.split('-').map((x) => parseInt(x, 16))) : emojify(`:${e.name}:`));
    case 'date': {
      const d = new Date(Number(e.timestamp) * 1000);
      return h('time', { datetime: d.toISOString() }, e.fallback ?? d.toLocaleString('en-GB', { timeZone: ctx.tz }));
    }
    case 'color': return document.createTextNode(e.value ?? '');
    default: return document.createTextNode('');
  }
}

function inlineAll(parent, elements, ctx) {
  for (const e of elements ?? []) parent.append(inlineEl(e, ctx));
  return parent;
}

function part(e, ctx) {
  switch (e.type) {
    case 'rich_text_section': return inlineAll(h('p', { class: 'rt-section' }), e.elements, ctx);
    case 'rich_text_quote': return inlineAll(h('blockquote'), e.elements, ctx);
    case 'rich_text_preformatted': return inlineAll(h('pre'), e.elements, ctx);
    case 'rich_text_list': {
      const list = h(e.style === 'ordered' ? 'ol' : 'ul', { class: `rt-list indent-${e.indent ?? 0}` });
      if (e.style === 'ordered' && e.offset) list.setAttribute('start', String(e.offset + 1));
      for (const s of e.elements ?? []) list.append(inlineAll(h('li'), s.elements, ctx));
      return list;
    }
    default: return h('span');
  }
}

export function richText(b, ctx) {
  return h('div', { class: 'block rich-text' }, (b.elements ?? []).map((e) => part(e, ctx)));
}
