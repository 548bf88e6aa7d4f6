import { renderMethodNotAllowedPage, renderNotFoundPage, renderServerErrorPage } from "../ui/errors";
import { html } from "../ui/html";
import { renderPortalPage } from "../ui/layout";

/** The HTML page for an error status outside /api/ (where errors are JSON). */
export function renderErrorPage(statusCode: number, message: string): string {
  if (statusCode === 404) return renderNotFoundPage();
  if (statusCode === 405) return renderMethodNotAllowedPage();
  if (statusCode >= 500) return renderServerErrorPage();
  return renderPortalPage({ title: "无法完成请求", main: html`<h1>无法完成请求</h1><p>${message}</p><p><a href="/">返回首页</a></p>` });
}
