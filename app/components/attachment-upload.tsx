import { UploadOutlined } from "@ant-design/icons";
import { message as antMessage, Button, Upload, type UploadFile } from "antd";
import { useState } from "react";

export interface AttachmentView {
  id: string;
  name: string;
  url: string;
  thumbUrl?: string;
}

/**
 * One upload slot: streams each file to the files module with a progress bar; the server checks
 * type, size and count, and when it refuses a file its Chinese message is written under the slot
 * (and announced), not only in the file's hover tip. The photo tile is a button the keyboard
 * reaches: Tab to it, Enter or Space opens the file chooser.
 */
export function AttachmentUpload(props: {
  id: string;
  action: string;
  accept: string;
  max: number;
  image: boolean;
  files: AttachmentView[];
  disabled?: boolean;
  error?: string;
  /** The slot's name, part of the tile's accessible name (上传：基地概况照片). */
  label?: string;
  onChange?: (count: number) => void;
}) {
  const [message, messageHolder] = antMessage.useMessage();
  const [list, setList] = useState<UploadFile[]>(
    props.files.map((f) => ({
      uid: f.id,
      name: f.name,
      status: "done",
      url: `${f.url}?inline=1`,
      thumbUrl: f.thumbUrl,
    })),
  );
  const done = list.filter((f) => f.status === "done").length;
  const refused = list.filter((f) => f.status === "error");
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: passes Space on to the tile (role=button) inside
    <div
      id={props.id}
      onKeyDown={(e) => {
        // antd's tile opens the chooser on Enter only; a button opens on Space too.
        const tile = e.target as HTMLElement;
        if (e.key !== " " || !tile.matches('.ant-upload[role="button"]')) return;
        e.preventDefault();
        tile.querySelector<HTMLInputElement>('input[type="file"]')?.click();
      }}
    >
      {messageHolder}
      <Upload
        // The photo tile holds no button of its own: antd then makes it one (role, tab stop).
        hasControlInside={!props.image}
        action={props.action}
        name="file"
        accept={props.accept}
        multiple={props.max > 1}
        listType={props.image ? "picture-card" : "text"}
        fileList={list}
        disabled={props.disabled}
        onChange={({ fileList }) => {
          const next = fileList.map((f) => {
            if (f.status === "done" && f.response?.id) {
              return {
                ...f,
                uid: f.response.id,
                url: `${f.response.url}?inline=1`,
                thumbUrl: f.response.thumbUrl,
              };
            }
            if (f.status === "error") {
              const msg = f.response?.error ?? "上传失败";
              return { ...f, response: msg, error: new Error(msg) };
            }
            return f;
          });
          setList(next);
          props.onChange?.(next.filter((f) => f.status === "done").length);
        }}
        onRemove={async (file) => {
          if (file.status !== "done") return true;
          const res = await fetch(`/files/${file.uid}`, { method: "DELETE" });
          if (!res.ok) {
            message.error((await res.json().catch(() => null))?.error ?? "删除失败");
            return false;
          }
          return true;
        }}
      >
        {done >= props.max || props.disabled ? null : props.image ? (
          <div>
            <UploadOutlined />
            <div style={{ marginTop: 8 }}>
              上传{props.label && <span className="sr-only">：{props.label}</span>}
            </div>
          </div>
        ) : (
          <Button icon={<UploadOutlined />}>
            选择文件{props.label && <span className="sr-only">：{props.label}</span>}
          </Button>
        )}
      </Upload>
      <div aria-live="polite" className="kepu-upload-refusals">
        {refused.map((f) => (
          <div key={f.uid} className="kepu-error-text">
            {f.name}：{typeof f.response === "string" ? f.response : "上传失败"}
          </div>
        ))}
      </div>
    </div>
  );
}
