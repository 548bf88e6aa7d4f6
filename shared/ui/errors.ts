import { html } from "./html";
import { renderPortalPage } from "./layout";

/** 404 page; also used for paths no route serves. */
export function renderNotFoundPage(): string {
  return renderPortalPage({
    title: "页面不存在",
    main: html`<h1>页面不存在</h1><p>您访问的页面不存在或已被移除。请检查网址是否正确，或返回<a href="/">首页</a>。</p>`,
  });
}

export function renderMethodNotAllowedPage(allowed: string[] = []): string {
  return renderPortalPage({
    title: "不支持的请求方法",
    main: html`<h1>不支持的请求方法</h1><p>该页面不支持此请求方法${allowed.length ? html`（允许：${allowed.join("、")}）` : ""}。请返回<a href="/">首页</a>重新操作。</p>`,
  });
}

/** 500 page; shows a reference number for the logs, never error details. */
export function renderServerErrorPage(reference?: string): string {
  return renderPortalPage({
    title: "系统繁忙",
    main: html`<h1>系统暂时无法处理您的请求</h1><p>请稍后再试。如您刚才提交了申请而未看到成功页面，请先用浏览器的“后退”回到原来的表单再提交一次：同一张表单不会被重复受理；也可以稍后凭申请编号在“查询办理进度”中核实是否已收到。</p>${
      reference ? html`<p>如需联系我们，请提供错误编号：<strong>${reference}</strong></p>` : ""
    }<p><a href="/">返回首页</a></p>`,
  });
}
