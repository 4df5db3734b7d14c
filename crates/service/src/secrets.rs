//! Encryption of stored secrets (access-key secrets, the token signing key) under the server
//! master key, with AES-256-GCM.

use aes_gcm::aead::{Aead, KeyInit, OsRng};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use std::path::Path;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum SecretError {
    #[error("PORTCULLIS_MASTER_KEY must be 64 hex characters (32 bytes)")]
    BadMasterKey,
    #[error("cannot read or create the master key file {path}: {source}")]
    KeyFile { path: String, source: std::io::Error },
    #[error("a stored secret cannot be decrypted with this master key")]
    Undecryptable,
    #[error(
        "a shared database needs the master key every node uses: set PORTCULLIS_MASTER_KEY \
         (64 hex characters) or put it in {path}"
    )]
    SharedKeyMissing { path: String },
}

#[derive(Clone)]
pub struct MasterKey(Key<Aes256Gcm>);

const NONCE_LEN: usize = 12;
const KEY_FILE: &str = "master.key";

impl MasterKey {
    pub fn from_hex(hex_text: &str) -> Result<Self, SecretError> {
        let bytes = hex::decode(hex_text.trim()).map_err(|_| SecretError::BadMasterKey)?;
        if bytes.len() != 32 {
            return Err(SecretError::BadMasterKey);
        }
        Ok(Self(*Key::<Aes256Gcm>::from_slice(&bytes)))
    }

    /// The key from `PORTCULLIS_MASTER_KEY` when given, else from `master.key` in the data
    /// directory, created with mode 0600 on first use.
    pub fn load(env_value: Option<&str>, data_dir: &Path) -> Result<Self, SecretError> {
        Self::load_or(env_value, data_dir, true)
    }

    /// Like [`MasterKey::load`], but never generates a key: every node sharing a database must
    /// use the same one, so the operator provides it (variable, or a key file they placed).
    pub fn load_shared(env_value: Option<&str>, data_dir: &Path) -> Result<Self, SecretError> {
        Self::load_or(env_value, data_dir, false)
    }

    fn load_or(env_value: Option<&str>, data_dir: &Path, create: bool) -> Result<Self, SecretError> {
        if let Some(value) = env_value.filter(|v| !v.is_empty()) {
            return Self::from_hex(value);
        }
        let path = data_dir.join(KEY_FILE);
        let io_error = |source| SecretError::KeyFile { path: path.display().to_string(), source };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_hex(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => {
                Err(SecretError::SharedKeyMissing { path: path.display().to_string() })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Aes256Gcm::generate_key(OsRng);
                write_private(&path, hex::encode(key).as_bytes()).map_err(io_error)?;
                // Re-read: if another process created the file first, its key wins.
                Self::from_hex(&std::fs::read_to_string(&path).map_err(io_error)?)
            }
            Err(e) => Err(io_error(e)),
        }
    }

    pub fn encrypt(&self, plaintext: &[u8]) -> Vec<u8> {
        let cipher = Aes256Gcm::new(&self.0);
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let mut out = nonce.to_vec();
        out.extend(cipher.encrypt(&nonce, plaintext).expect("AES-GCM encryption does not fail"));
        out
    }

    pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, SecretError> {
        if ciphertext.len() < NONCE_LEN {
            return Err(SecretError::Undecryptable);
        }
        let (nonce, body) = ciphertext.split_at(NONCE_LEN);
        Aes256Gcm::new(&self.0).decrypt(Nonce::from_slice(nonce), body).map_err(|_| SecretError::Undecryptable)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(mut file) => file.write_all(contents),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_another_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = MasterKey::load(None, dir.path()).unwrap();
        let sealed = key.encrypt(b"secret");
        assert_ne!(&sealed[NONCE_LEN..], b"secret");
        assert_eq!(key.decrypt(&sealed).unwrap(), b"secret");
        let other = MasterKey::from_hex(&"11".repeat(32)).unwrap();
        assert!(other.decrypt(&sealed).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn key_file_is_private_and_stable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let first = MasterKey::load(None, dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let second = MasterKey::load(None, dir.path()).unwrap();
        assert_eq!(second.decrypt(&first.encrypt(b"x")).unwrap(), b"x");
    }

    #[test]
    fn a_shared_key_is_never_generated() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(MasterKey::load_shared(None, dir.path()), Err(SecretError::SharedKeyMissing { .. })));
        assert!(!dir.path().join(KEY_FILE).exists());
        assert!(MasterKey::load_shared(Some(&"ab".repeat(32)), dir.path()).is_ok());
        let placed = MasterKey::load(None, dir.path()).unwrap();
        let shared = MasterKey::load_shared(None, dir.path()).unwrap();
        assert_eq!(shared.decrypt(&placed.encrypt(b"x")).unwrap(), b"x");
    }

    #[test]
    fn env_key_must_be_32_bytes_of_hex() {
        assert!(MasterKey::from_hex("abcd").is_err());
        assert!(MasterKey::from_hex(&"zz".repeat(32)).is_err());
        assert!(MasterKey::from_hex(&"ab".repeat(32)).is_ok());
    }
}
