// Slack's confirmation dialog (an element's `confirm` object): resolves true on confirm, false on deny/Escape.
import { h, uid } from './dom.js';
import { plain, textObject } from './mrkdwn.js';

export function confirmDialog(confirm, ctx) {
  return new Promise((resolve) => {
    const back = document.activeElement;
    const titleId = uid('confirm-title');
    const title = plain(confirm.title?.text ?? 'Are you sure?');
    const done = (ok) => {
      dlg.close();
      dlg.remove();
      if (back && back.isConnected) back.focus();
      resolve(ok);
    };
    const yes = h('button', { type: 'button', class: 'btn ' + (confirm.style === 'danger' ? 'btn-danger' : 'btn-primary'), onclick: () => done(true) },
      plain(confirm.confirm?.text ?? 'Yes'));
    const no = h('button', { type: 'button', class: 'btn', onclick: () => done(false) }, plain(confirm.deny?.text ?? 'Cancel'));
    const dlg = h('dialog', { class: 'confirm', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      textObject(confirm.text, ctx, 'div'),
      h('div', { class: 'dialog-buttons' }, no, yes));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(dlg);
    dlg.showModal();
    no.focus();
  });
}
