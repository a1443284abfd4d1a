import { describe, expect, it } from "vitest";
import { addressRefusal, resolveAllowed, urlRefusal, UrlRefused } from "./url-policy";

const PRODUCTION = { allowLoopback: false };
const LOCAL = { allowLoopback: true };
const resolvesTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("webhook URL policy (SSRF)", () => {
  it("refuses private, loopback, link-local, CGNAT and metadata addresses in production", () => {
    for (const address of ["10.0.0.5", "127.0.0.1", "127.8.9.10", "169.254.169.254", "172.16.3.4", "192.168.1.1", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00:ec2::254", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "64:ff9b::a00:1"]) {
      expect(addressRefusal(address, PRODUCTION), address).not.toBeNull();
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700::6810:84e5"]) expect(addressRefusal(address, PRODUCTION), address).toBeNull();
  });

  it("allows loopback only when not in production, and still refuses the other private ranges there", () => {
    expect(addressRefusal("127.0.0.1", LOCAL)).toBeNull();
    expect(addressRefusal("::1", LOCAL)).toBeNull();
    expect(addressRefusal("10.1.2.3", LOCAL)).not.toBeNull();
    expect(addressRefusal("169.254.169.254", LOCAL)).not.toBeNull();
  });

  it("wants https, except http to localhost outside production; no credentials in the URL", () => {
    expect(urlRefusal("https://hooks.example.com/keizoku", PRODUCTION)).toBeNull();
    expect(urlRefusal("http://hooks.example.com/keizoku", PRODUCTION)).toMatch(/https/);
    expect(urlRefusal("http://hooks.example.com/keizoku", LOCAL)).toMatch(/https/);
    expect(urlRefusal("http://localhost:4000/hook", LOCAL)).toBeNull();
    expect(urlRefusal("http://127.0.0.1:4000/hook", LOCAL)).toBeNull();
    expect(urlRefusal("http://[::1]:4000/hook", LOCAL)).toBeNull();
    expect(urlRefusal("http://localhost:4000/hook", PRODUCTION)).toMatch(/loopback/);
    expect(urlRefusal("https://127.0.0.1/hook", PRODUCTION)).toMatch(/loopback/);
    expect(urlRefusal("https://10.0.0.1/hook", LOCAL)).toMatch(/not a public address/);
    expect(urlRefusal("https://user:pw@hooks.example.com/", PRODUCTION)).toMatch(/user name/);
    expect(urlRefusal("not a url", PRODUCTION)).toMatch(/valid URL/);
  });

  it("checks every address a host name resolves to, and connects to a checked one", async () => {
    await expect(resolveAllowed("https://hooks.example.com/", PRODUCTION, resolvesTo("93.184.216.34"))).resolves.toEqual({ address: "93.184.216.34", family: 4 });
    await expect(resolveAllowed("https://rebind.example.com/", PRODUCTION, resolvesTo("93.184.216.34", "10.0.0.7"))).rejects.toThrow(UrlRefused);
    await expect(resolveAllowed("https://meta.example.com/", PRODUCTION, resolvesTo("169.254.169.254"))).rejects.toThrow(/169\.254\.169\.254/);
    await expect(resolveAllowed("https://v6.example.com/", PRODUCTION, resolvesTo("::1"))).rejects.toThrow(UrlRefused);
    await expect(resolveAllowed("https://nothing.example.com/", PRODUCTION, resolvesTo())).rejects.toThrow(/does not resolve/);
  });
});
