import { html } from './html.js';
import { link, type LinkContext } from './links.js';
import { page } from './page.js';

/** What a person sees when a dashboard URL is wrong (a bad filter, a malformed cluster reference). */
export function problemPage(links: LinkContext, message: string): string {
  return page({
    title: 'Not understood',
    body: html`<h1>This address is not understood</h1>
<p class="notice">${message}</p>
<p><a href="${link(links, 'dashboard')}">Back to the fleet</a></p>`,
  });
}
