// A front end's use of the generated types: `tsc --noEmit` fails when the contract and this code disagree.
import type { components, operations, paths } from "./generated/api";

type Report = components["schemas"]["Report"];
type LineItemPage = operations["list_report_line_items"]["responses"][200]["content"]["application/json"];
type LineItem = LineItemPage["data"][number];
type Problem = components["schemas"]["Problem"];
type NotFound = paths["/reports/{report_id}"]["get"]["responses"][404]["content"]["application/problem+json"];
type Invalid = operations["list_reports"]["responses"][422]["content"]["application/problem+json"];
type UploadForm = operations["upload_report"]["requestBody"]["content"]["multipart/form-data"];
type LineItemsCsv = operations["export_report_line_items_csv"]["responses"][200]["content"]["text/csv; charset=utf-8"];

// Every error is the one Problem; its code is a closed set.
const notFound: NotFound = {
  type: "about:blank#report_not_found", title: "Report not found", status: 404,
  detail: "no report abc", code: "report_not_found", instance: "/reports/abc",
};
const invalid: Invalid = { ...notFound, status: 422, code: "invalid_request", errors: [{ loc: ["query", "limit"], msg: "too small" }] };
// @ts-expect-error a code that the contract does not define
const unknownCode: Problem["code"] = "no_such_code";

// The upload's file part is required.
const required: keyof UploadForm = "file";
// @ts-expect-error an upload form without its file
const noFile: UploadForm = { department: "x" };

function isProblem(body: Report | Problem): body is Problem {
  return "code" in body && "instance" in body;
}

export async function uploadAndWait(base: string, pdf: Blob, name: string): Promise<Report> {
  const form = new FormData();
  form.append("file", new File([pdf], name, { type: "application/pdf" }));
  const r = await fetch(`${base}/reports?wait=true`, { method: "POST", body: form });
  const body = (await r.json()) as Report | Problem;
  if (isProblem(body)) throw new Error(`${body.status} ${body.code}: ${body.detail}`);
  return body;
}

export async function allLineItems(base: string, reportId: Report["id"]): Promise<LineItem[]> {
  const items: LineItem[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ limit: "500", ...(cursor ? { cursor } : {}) });
    const page = (await (await fetch(`${base}/reports/${reportId}/line-items?${q}`)).json()) as LineItemPage;
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return items;
}

export function firstAmount(item: LineItem): string | undefined {
  return item.values[0]?.amount; // decimal strings, never numbers
}

export async function lineItemsCsv(base: string, reportId: string): Promise<LineItemsCsv> {
  return (await fetch(`${base}/reports/${reportId}/line-items.csv`)).text();
}

export const examples = { notFound, invalid, unknownCode, required, noFile };
