import { describe, expect, it } from "vitest";
import { articleText, imageIdsOf, sanitizeArticleHtml, summaryOf } from "./articles.sanitize.ts";

const FILE = "/files/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

/** Nothing in the output may start a script, whatever the payload. */
function expectInert(html: string): void {
  const lower = html.toLowerCase();
  expect(lower).not.toMatch(/<script|<iframe|<object|<embed|<svg|<math|<style|<link|<meta|<form|<base/);
  expect(lower).not.toMatch(/\son[a-z]+\s*=/);
  expect(lower).not.toMatch(/javascript:|vbscript:|data:/);
  expect(lower).not.toMatch(/\sstyle\s*=|\ssrcset\s*=|\sformaction\s*=/);
}

const PAYLOADS = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<iframe src=javascript:alert(1)></iframe>",
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  "<object data=javascript:alert(1)></object>",
  "<embed src=javascript:alert(1)>",
  "<body onload=alert(1)>",
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="behavior:url(x.htc)">x</p>',
  '<img src="/files/../../etc/passwd">',
  `<img src="${FILE}" onerror="alert(1)">`,
  `<img src="${FILE}" srcset="javascript:alert(1) 1x">`,
  '<img src="https://evil.example/track.gif">',
  '<img src="//evil.example/track.gif">',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  "<details open ontoggle=alert(1)>",
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<input autofocus onfocus="alert(1)">',
  "<video><source onerror=alert(1)></video>",
  "<audio src=x onerror=alert(1)>",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  "<base href=javascript:alert(1)//>",
  "<style>@import 'javascript:alert(1)';</style>",
  '<p onclick="alert(1)" onmouseover="alert(1)">hover</p>',
  "<<script>script>alert(1)<</script>/script>",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<!--<img src=x onerror=alert(1)>-->",
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  "<template><script>alert(1)</script></template>",
  '<a href="#" onclick="alert(1)">x</a>',
  "<textarea><script>alert(1)</script></textarea>",
  '<h2 id="x" class="y" onmouseenter="alert(1)">t</h2>',
  "<marquee onstart=alert(1)>x</marquee>",
];

describe("sanitizeArticleHtml", () => {
  it.each(PAYLOADS)("leaves nothing that can run a script: %s", (payload) => {
    expectInert(sanitizeArticleHtml(payload));
    // Whatever survives is stable: a second pass changes nothing.
    const once = sanitizeArticleHtml(payload);
    expect(sanitizeArticleHtml(once)).toBe(once);
  });

  it("drops a script together with its text, and an image from outside the files module", () => {
    expect(sanitizeArticleHtml("<p>前</p><script>alert(1)</script><p>后</p>")).toBe("<p>前</p><p>后</p>");
    expect(sanitizeArticleHtml("<p>a<img src=x onerror=alert(1)>b</p>")).toBe("<p>ab</p>");
  });

  it("keeps the editor's structure", () => {
    const html =
      '<h2>标题</h2><p><strong>粗</strong><em>斜</em><u>下</u><s>删</s></p><ul><li>一</li></ul><ol start="3"><li>三</li></ol><blockquote><p>引</p></blockquote><hr><pre><code>x</code></pre>';
    expect(sanitizeArticleHtml(html)).toBe(
      '<h2>标题</h2><p><strong>粗</strong><em>斜</em><u>下</u><s>删</s></p><ul><li>一</li></ul><ol start="3"><li>三</li></ol><blockquote><p>引</p></blockquote><hr /><pre><code>x</code></pre>',
    );
  });

  it("keeps an image of the files module, with its alt text, and nothing else on it", () => {
    expect(sanitizeArticleHtml(`<img src="${FILE}?inline=1" alt="展厅" class="big" width="9">`)).toBe(
      `<img src="${FILE}?inline=1" alt="展厅" />`,
    );
    expect(sanitizeArticleHtml(`<img src="${FILE}/thumb">`)).toBe(`<img src="${FILE}/thumb" />`);
  });

  it("keeps http(s) and mailto links and marks them rel=noopener noreferrer nofollow", () => {
    expect(sanitizeArticleHtml('<a href="https://www.cast.org.cn" target="_blank">中国科协</a>')).toBe(
      '<a href="https://www.cast.org.cn" rel="noopener noreferrer nofollow">中国科协</a>',
    );
    expect(sanitizeArticleHtml('<a href="mailto:kx@example.cn">信</a>')).toContain(
      'href="mailto:kx@example.cn"',
    );
    expect(sanitizeArticleHtml('<a href="/bases">名录</a>')).toContain('href="/bases"');
    expect(sanitizeArticleHtml('<a href="javascript:alert(1)">x</a>')).toBe(
      '<a rel="noopener noreferrer nofollow">x</a>',
    );
  });

  it("escapes text that looks like markup", () => {
    expect(sanitizeArticleHtml("<p>1 &lt; 2 &amp;&amp; &lt;script&gt;</p>")).toBe(
      "<p>1 &lt; 2 &amp;&amp; &lt;script&gt;</p>",
    );
  });
});

describe("articleText and summaryOf", () => {
  it("reads the text without tags, scripts or entities", () => {
    expect(articleText("<p>科普&amp;教育</p><script>alert(1)</script><p>基地</p>")).toBe("科普&教育 基地");
    expect(articleText("<ul><li>一</li><li>二</li></ul>第<strong>三</strong>")).toBe("一 二 第三");
    expect(articleText("<p> </p>")).toBe("");
  });

  it("cuts a long body at the limit with an ellipsis", () => {
    const long = `<p>${"科".repeat(200)}</p>`;
    expect(summaryOf(long, 10)).toBe(`${"科".repeat(10)}…`);
    expect(summaryOf("<p>短</p>")).toBe("短");
  });

  it("lists the files module images a body shows", () => {
    expect(imageIdsOf(`<img src="${FILE}?inline=1"><img src="${FILE}/thumb">`)).toEqual([FILE.slice(7)]);
  });
});
