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
 * type, size and count, and its Chinese message is shown on the file when it refuses.
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
  return (
    <div id={props.id}>
      {messageHolder}
      <Upload
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
            <div style={{ marginTop: 8 }}>上传</div>
          </div>
        ) : (
          <Button icon={<UploadOutlined />}>选择文件</Button>
        )}
      </Upload>
    </div>
  );
}
