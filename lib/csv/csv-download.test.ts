import iconv from "iconv-lite";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvDownloadResponse, csvStream } from "./csv-download";

async function* batches<T>(...items: T[]) {
  for (const item of items) yield item;
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

describe("csvStream", () => {
  it("writes UTF-8 with a BOM, quoting what needs it, with CRLF line ends", async () => {
    const bytes = await bytesOf(csvStream(["契約ID", "顧客名", "金額"], batches([["sub_1", "山田, 太郎", 1500]], [["sub_2", 'say "hi"\nnext', null]]), "utf8"));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text).toBe('契約ID,顧客名,金額\r\nsub_1,"山田, 太郎",1500\r\nsub_2,"say ""hi""\nnext",\r\n');
    expect(Papa.parse(text, { header: true, skipEmptyLines: true }).data).toEqual([
      { 契約ID: "sub_1", 顧客名: "山田, 太郎", 金額: "1500" },
      { 契約ID: "sub_2", 顧客名: 'say "hi"\nnext', 金額: "" },
    ]);
  });

  it("writes Shift_JIS as Windows does (CP932: ① and ㈱ included), without a BOM", async () => {
    const bytes = await bytesOf(csvStream(["氏名"], batches([["髙橋①㈱"]]), "shift_jis"));
    expect(bytes[0]).not.toBe(0xef);
    expect(iconv.decode(bytes, "cp932")).toBe("氏名\r\n髙橋①㈱\r\n");
  });

  it("names the file for every browser", () => {
    const response = csvDownloadResponse("契約一覧.csv", csvStream([], batches(), "utf8"), "utf8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="____.csv"; filename*=UTF-8''${encodeURIComponent("契約一覧.csv")}`);
  });
});
