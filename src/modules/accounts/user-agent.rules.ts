/** A short, readable name for a browser and system, for the 【登录设备】 list; never used for decisions. */
export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return "未知设备";
  const browser =
    match(ua, /MicroMessenger\/([\d.]+)/, "微信") ??
    match(ua, /DingTalk\/([\d.]+)/, "钉钉") ??
    match(ua, /Edg(?:e|A|iOS)?\/([\d.]+)/, "Edge") ??
    match(ua, /(?:OPR|Opera)\/([\d.]+)/, "Opera") ??
    match(ua, /Firefox\/([\d.]+)/, "Firefox") ??
    match(ua, /(?:HeadlessChrome|Chrome|CriOS)\/([\d.]+)/, "Chrome") ??
    match(ua, /Version\/([\d.]+).*Safari\//, "Safari") ??
    (ua.startsWith("curl/") ? "curl" : "其他浏览器");
  const system = /iPhone/.test(ua)
    ? "iPhone"
    : /iPad/.test(ua)
      ? "iPad"
      : /Android/.test(ua)
        ? "Android"
        : /HarmonyOS|OpenHarmony/.test(ua)
          ? "鸿蒙"
          : /Windows/.test(ua)
            ? "Windows"
            : /Mac OS X|Macintosh/.test(ua)
              ? "macOS"
              : /Linux/.test(ua)
                ? "Linux"
                : null;
  return system ? `${browser} · ${system}` : browser;
}

function match(ua: string, re: RegExp, name: string): string | null {
  const m = re.exec(ua);
  return m ? `${name} ${m[1].split(".")[0]}` : null;
}
