// A one-line progress bar on a terminal; silent when output is piped or in CI.
export interface ProgressBar {
  update(done: number, total: number, detail: string): void;
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream): ProgressBar {
  if (!stream.isTTY || process.env.CI) return { update: () => {}, done: () => {} };
  let shown = false;
  return {
    update(done, total, detail) {
      const width = 24;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${detail}\u001b[K`,
      );
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\u001b[K');
    },
  };
}
