import { registerFileOwner } from "#src/modules/files/owners.ts";
import { ARTICLE_IMAGE_SLOT } from "./articles.rules.ts";
import { articleImageReadRegion, articleImageWriteRegion } from "./articles.server.ts";

const access = (regionCode: string | null) => (regionCode ? { regionCode } : null);

/** An article's images: public once the article is published; its authors add them while editing. */
export function registerArticleFiles(): void {
  registerFileOwner("article", {
    slots: [ARTICLE_IMAGE_SLOT],
    publicRead: true,
    async canRead(ctx, actor, id) {
      return access(await articleImageReadRegion(ctx, actor, id));
    },
    async canWrite(ctx, actor, id) {
      return access(await articleImageWriteRegion(ctx, actor, id));
    },
  });
}
