import Image from "@tiptap/extension-image";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { Button, message } from "antd";
import { useRef } from "react";

/**
 * The article editor (tiptap). Loaded only by the editor page, in the browser (React.lazy after
 * hydration), so server rendering never imports it. It offers only what the server's allowlist
 * keeps; the server sanitizes whatever is posted anyway. Images are uploaded to the files module
 * (the article's image slot) and inserted by their /files/ address.
 */
export default function RichEditor(props: {
  id: string;
  labelledBy: string;
  initialHtml: string;
  uploadUrl: string;
  onChange(html: string): void;
}) {
  const fileInput = useRef<HTMLInputElement>(null);
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        link: { openOnClick: false, autolink: true, protocols: ["http", "https", "mailto"] },
      }),
      Image.configure({ inline: false, allowBase64: false }),
    ],
    content: props.initialHtml,
    immediatelyRender: false,
    editorProps: {
      attributes: {
        id: props.id,
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": props.labelledBy,
      },
    },
    onUpdate: ({ editor }) => props.onChange(editor.getHTML()),
  });

  async function upload(file: File) {
    const body = new FormData();
    body.append("file", file);
    const res = await fetch(props.uploadUrl, { method: "POST", body });
    const json = (await res.json().catch(() => ({}))) as { url?: string; name?: string; error?: string };
    if (!res.ok || !json.url) {
      message.error(json.error ?? "图片上传失败，请稍后再试");
      return;
    }
    editor
      ?.chain()
      .focus()
      .setImage({ src: `${json.url}?inline=1`, alt: json.name ?? "" })
      .run();
  }

  if (!editor) return null;
  const tool = (label: string, active: boolean, run: () => void) => (
    <Button size="small" type={active ? "primary" : "default"} aria-pressed={active} onClick={run}>
      {label}
    </Button>
  );
  return (
    <div className="kepu-rich-editor">
      <div className="kepu-rich-toolbar" role="toolbar" aria-label="正文格式">
        {tool("标题", editor.isActive("heading", { level: 2 }), () =>
          editor.chain().focus().toggleHeading({ level: 2 }).run(),
        )}
        {tool("小标题", editor.isActive("heading", { level: 3 }), () =>
          editor.chain().focus().toggleHeading({ level: 3 }).run(),
        )}
        {tool("加粗", editor.isActive("bold"), () => editor.chain().focus().toggleBold().run())}
        {tool("斜体", editor.isActive("italic"), () => editor.chain().focus().toggleItalic().run())}
        {tool("列表", editor.isActive("bulletList"), () => editor.chain().focus().toggleBulletList().run())}
        {tool("编号", editor.isActive("orderedList"), () => editor.chain().focus().toggleOrderedList().run())}
        {tool("引用", editor.isActive("blockquote"), () => editor.chain().focus().toggleBlockquote().run())}
        <Button size="small" onClick={() => fileInput.current?.click()}>
          插入图片
        </Button>
        <input
          ref={fileInput}
          type="file"
          accept=".jpg,.jpeg,.png,.webp"
          hidden
          aria-label="选择图片"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = "";
            if (f) void upload(f);
          }}
        />
      </div>
      <EditorContent editor={editor} />
    </div>
  );
}
