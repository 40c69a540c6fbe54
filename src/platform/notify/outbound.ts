/**
 * Channels that carry a notification off the platform. An adapter sends one message or throws;
 * the outbox (notifications module) decides about retries. Adapters know no feature.
 */
export interface OutboundMessage {
  recipient: string;
  subject: string;
  body: string;
  /** The notification kind (application.return, reminder.call_closing …): picks an SMS template. */
  kind: string;
}

export interface OutboxAdapter {
  channel: "email" | "sms";
  send(message: OutboundMessage): Promise<void>;
}
