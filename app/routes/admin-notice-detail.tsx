// Not built yet: answers 404 until its feature lands.
export function loader() {
  throw new Response("未找到", { status: 404 });
}

export default function Pending() {
  return null;
}
