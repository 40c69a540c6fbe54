/**
 * A recipient as staff see it on the delivery list and as the log records it: a phone keeps only
 * its last 4 digits (*******5678), an email its first character and domain (z***@example.cn).
 */
export function maskRecipient(channel: "email" | "sms", value: string): string {
  if (channel === "email") {
    const at = value.lastIndexOf("@");
    if (at < 1) return "***";
    return `${value[0]}***${value.slice(at)}`;
  }
  const digits = value.replace(/\D/g, "");
  if (digits.length <= 4) return "****";
  return `${"*".repeat(digits.length - 4)}${digits.slice(-4)}`;
}
