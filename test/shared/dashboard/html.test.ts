import { describe, expect, it } from 'vitest';
import { html } from '../../../shared/dashboard/html.js';

describe('html', () => {
  it('escapes interpolated text, attributes included, and nests trusted fragments as they are', () => {
    const name = `"><script>alert('x')</script>`;
    const inner = html`<b>${name}</b>`;
    expect(html`<a title="${name}">${inner}</a>`.text).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"><b>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</b></a>',
    );
  });

  it('joins lists and leaves out null, undefined and false', () => {
    expect(html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>${null}${undefined}${false}${0}`.text).toBe('<ul><li>a</li><li>b</li></ul>0');
  });
});
