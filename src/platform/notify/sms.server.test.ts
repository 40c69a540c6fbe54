import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aliyunSignature, aliyunSmsAdapter, percentEncode, sendSmsParams } from "./sms.server.ts";

describe("Aliyun RPC signature", () => {
  it("reproduces the SendSms example of Aliyun's 短信服务 signature document (GET, testSecret)", () => {
    const params = {
      AccessKeyId: "testId",
      Action: "SendSms",
      Format: "XML",
      OutId: "123",
      PhoneNumbers: "15300000001",
      RegionId: "cn-hangzhou",
      SignName: "阿里云短信测试专用",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "45e25e9b-0a6f-4070-8c85-2956eda1b466",
      SignatureVersion: "1.0",
      TemplateCode: "SMS_71390007",
      TemplateParam: '{"customer":"test"}',
      Timestamp: "2017-07-12T02:42:19Z",
      Version: "2017-05-25",
    };
    expect(aliyunSignature(params, "testSecret", "GET")).toBe("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
  });

  it("reproduces the DescribeRegions example of the RPC signature document", () => {
    const params = {
      Format: "XML",
      AccessKeyId: "testid",
      Action: "DescribeRegions",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
      SignatureVersion: "1.0",
      Version: "2014-05-26",
      Timestamp: "2016-02-23T12:46:24Z",
    };
    expect(aliyunSignature(params, "testsecret", "GET")).toBe("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
  });

  it("percent-encodes as POP requires: space as %20, * ! ' ( ) escaped, ~ kept", () => {
    expect(percentEncode("a b*~!'()")).toBe("a%20b%2A~%21%27%28%29");
    expect(percentEncode("派")).toBe("%E6%B4%BE");
  });

  it("ignores a Signature already among the parameters", () => {
    const p = { A: "1", B: "2" };
    expect(aliyunSignature({ ...p, Signature: "x" }, "s")).toBe(aliyunSignature(p, "s"));
  });
});

describe("Aliyun SMS adapter against a local stub", () => {
  const received: Record<string, string>[] = [];
  let answer = { status: 200, body: '{"Code":"OK","Message":"OK","BizId":"1","RequestId":"r"}' };
  let server: http.Server;
  let endpoint: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        received.push(Object.fromEntries(new URLSearchParams(body)));
        res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const cfg = () => ({
    accessKeyId: "LTAI-test",
    accessKeySecret: "secret-test",
    signName: "科普基地",
    templates: { default: "SMS_1", "application.return": "SMS_2" },
    endpoint,
  });

  it("posts a signed SendSms with the kind's template and the message as template parameters", async () => {
    await aliyunSmsAdapter(cfg()).send({
      recipient: "13800001234",
      subject: "申报退回修改",
      body: "请修改后重新提交",
      kind: "application.return",
    });
    const p = received.at(-1)!;
    expect(p).toMatchObject({
      Action: "SendSms",
      Version: "2017-05-25",
      PhoneNumbers: "13800001234",
      SignName: "科普基地",
      TemplateCode: "SMS_2",
      AccessKeyId: "LTAI-test",
    });
    expect(JSON.parse(p.TemplateParam)).toEqual({ title: "申报退回修改", content: "请修改后重新提交" });
    const { Signature, ...signed } = p;
    expect(Signature).toBe(aliyunSignature(signed, "secret-test", "POST"));
  });

  it("uses the default template for other kinds", async () => {
    await aliyunSmsAdapter(cfg()).send({ recipient: "13800001234", subject: "s", body: "b", kind: "other" });
    expect(received.at(-1)!.TemplateCode).toBe("SMS_1");
  });

  it("throws with Aliyun's code when the answer is not OK, and on an HTTP error", async () => {
    answer = { status: 200, body: '{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发流控"}' };
    await expect(
      aliyunSmsAdapter(cfg()).send({ recipient: "13800001234", subject: "s", body: "b", kind: "k" }),
    ).rejects.toThrow(/isv.BUSINESS_LIMIT_CONTROL/);
    answer = { status: 500, body: "oops" };
    await expect(
      aliyunSmsAdapter(cfg()).send({ recipient: "13800001234", subject: "s", body: "b", kind: "k" }),
    ).rejects.toThrow(/HTTP 500/);
  });

  it("signs every request with a fresh nonce and a second-precision timestamp", () => {
    const a = sendSmsParams(cfg(), { phone: "1", templateCode: "T", templateParam: {} });
    const b = sendSmsParams(cfg(), { phone: "1", templateCode: "T", templateParam: {} });
    expect(a.SignatureNonce).not.toBe(b.SignatureNonce);
    expect(a.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});
