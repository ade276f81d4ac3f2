//! Where attachment files live, behind one interface: a folder (the data directory by
//! default) or an S3-compatible bucket (`s3://bucket/prefix`, credentials and endpoint from
//! the usual `AWS_*` environment variables). Files are kept under random keys, never under
//! the names people gave them.
use std::sync::Arc;

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, WriteMultipart};

/// The attachment store: cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<dyn ObjectStore>,
    /// Folder inside the bucket (empty for a local folder).
    prefix: String,
    /// Bytes collected before each part is sent: S3 needs 5 MiB parts, a disk much less.
    part_size: usize,
    /// Where files go, for the logs.
    pub label: String,
}

/// Parts written ahead of the store at most per upload (bounds memory per upload).
const PARTS_IN_FLIGHT: usize = 2;

impl Store {
    /// The store a `PIGEON_STORAGE_URL` asks for: none means `local_dir`.
    pub fn open(url: Option<&str>, local_dir: &std::path::Path) -> anyhow::Result<Store> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Store::local(local_dir),
            Some(u) if u.starts_with("s3://") => Store::s3(u),
            Some(u) => match u.strip_prefix("file://") {
                Some(path) => Store::local(std::path::Path::new(path)),
                None => anyhow::bail!(
                    "PIGEON_STORAGE_URL must start with s3:// or file:// (got {})",
                    u.split(':').next().unwrap_or("")
                ),
            },
        }
    }

    /// Files in a local folder, created when missing.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
        let fs = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Store {
            inner: Arc::new(fs),
            prefix: String::new(),
            part_size: 256 * 1024,
            label: dir.display().to_string(),
        })
    }

    /// Files in an S3-compatible bucket: `s3://bucket` or `s3://bucket/folder`.
    pub fn s3(url: &str) -> anyhow::Result<Store> {
        let rest = url.trim_start_matches("s3://");
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            anyhow::bail!("PIGEON_STORAGE_URL needs a bucket name: s3://bucket/folder");
        }
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if std::env::var("AWS_ENDPOINT_URL")
            .or_else(|_| std::env::var("AWS_ENDPOINT"))
            .is_ok_and(|e| e.starts_with("http://"))
        {
            builder = builder.with_allow_http(true);
        }
        Ok(Store {
            inner: Arc::new(builder.build()?),
            prefix: prefix.trim_matches('/').to_string(),
            part_size: 5 * 1024 * 1024,
            label: url.to_string(),
        })
    }

    fn path(&self, key: &str) -> Path {
        if self.prefix.is_empty() {
            Path::from(key)
        } else {
            Path::from(format!("{}/{key}", self.prefix))
        }
    }

    /// A new random key: 128 bits, spread over 256 folders.
    pub fn new_key() -> String {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let hex = hex::encode(bytes);
        format!("{}/{}", &hex[..2], &hex[2..])
    }

    /// Starts writing a file under `key`.
    pub async fn writer(&self, key: &str) -> object_store::Result<FileWriter> {
        let upload = self.inner.put_multipart(&self.path(key)).await?;
        Ok(FileWriter {
            inner: WriteMultipart::new_with_chunk_size(upload, self.part_size),
        })
    }

    /// A stored file as a stream of chunks, with its size.
    pub async fn read(
        &self,
        key: &str,
    ) -> object_store::Result<(u64, BoxStream<'static, object_store::Result<Bytes>>)> {
        let got = self.inner.get(&self.path(key)).await?;
        let size = got.meta.size;
        Ok((size, got.into_stream().boxed()))
    }

    /// Deletes a file; a file already gone is fine.
    pub async fn delete(&self, key: &str) -> object_store::Result<()> {
        match self.inner.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Whether a file exists (for tests and checks).
    pub async fn exists(&self, key: &str) -> object_store::Result<bool> {
        match self.inner.head(&self.path(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// A file being written, part by part, with bounded memory.
pub struct FileWriter {
    inner: WriteMultipart,
}

impl FileWriter {
    /// Adds bytes; waits while too many parts are on their way to the store.
    pub async fn write(&mut self, chunk: &[u8]) -> object_store::Result<()> {
        self.inner.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        self.inner.write(chunk);
        Ok(())
    }

    /// Completes the file.
    pub async fn finish(self) -> object_store::Result<()> {
        self.inner.finish().await.map(|_| ())
    }

    /// Drops what was written.
    pub async fn abort(self) {
        if let Err(e) = self.inner.abort().await {
            tracing::warn!(error = %e, "aborting an upload failed");
        }
    }
}
