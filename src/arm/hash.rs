//! ARM's deterministic `guid()` and `uniqueString()` algorithms.
//!
//! Both join their arguments with `-` and hash the UTF-8 bytes:
//! * `guid()` is an RFC 4122 name-based version-5 UUID (SHA-1) in the ARM
//!   namespace `11fb06fb-712d-4ddd-98c7-e71bbd588830`, printed lowercase.
//! * `uniqueString()` is Microsoft's 64-bit MurmurHash variant (two 32-bit
//!   lanes, from `Microsoft.WindowsAzure.ResourceStack`) printed as 13
//!   lowercase RFC 4648 base32 characters, most significant bits first.
//!
//! Sources: the join-with-dash helper, namespace and base32 loop appear in
//! Microsoft's Azure Policy linter port of `ExpressionBuiltInFunctions`
//! (`JoinStringParametersWithDash`, `ARMNamespaceGuid`, `Base32Encode`); the
//! MurmurHash64 constants and finalization follow a public bash
//! reimplementation (`uniquestring.sh`). Both are checked against outputs of
//! the real engine in the tests below.

use sha1::{Digest, Sha1};

/// `11fb06fb-712d-4ddd-98c7-e71bbd588830` in network byte order.
const ARM_NAMESPACE: [u8; 16] = [
    0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd, 0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30,
];

/// ARM `guid(parts...)`.
pub fn guid<S: AsRef<str>>(parts: &[S]) -> String {
    let mut sha = Sha1::new();
    sha.update(ARM_NAMESPACE);
    sha.update(join(parts).as_bytes());
    let digest = sha.finalize();
    let mut b = [0u8; 16];
    for (dst, src) in b.iter_mut().zip(digest.iter()) {
        *dst = *src;
    }
    b[6] = (b[6] & 0x0f) | 0x50; // version 5
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let mut out = String::with_capacity(36);
    for (i, group) in [&b[..4], &b[4..6], &b[6..8], &b[8..10], &b[10..]]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push('-');
        }
        crate::hex::push(&mut out, group);
    }
    out
}

/// ARM `uniqueString(parts...)`.
pub fn unique_string<S: AsRef<str>>(parts: &[S]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut h = murmur64(join(parts).as_bytes());
    let mut out = String::with_capacity(13);
    for _ in 0..13 {
        let idx = (h >> 59) as usize; // always < 32
        out.push(char::from(ALPHABET[idx & 31]));
        h <<= 5;
    }
    out
}

fn join<S: AsRef<str>>(parts: &[S]) -> String {
    let strs: Vec<&str> = parts.iter().map(AsRef::as_ref).collect();
    strs.join("-")
}

/// Little-endian value of up to four bytes.
fn le32(bytes: &[u8]) -> u32 {
    bytes.iter().rev().fold(0, |acc, &b| (acc << 8) | u32::from(b))
}

fn fmix(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// Microsoft's MurmurHash64 (seed 0) used by `uniqueString()`.
fn murmur64(data: &[u8]) -> u64 {
    const C1: u32 = 0x239b_961b;
    const C2: u32 = 0xab0e_9789;
    let mix1 = |k: u32| k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    let mix2 = |k: u32| k.wrapping_mul(C2).rotate_left(17).wrapping_mul(C1);
    let (mut h1, mut h2) = (0u32, 0u32);
    let mut blocks = data.chunks_exact(8);
    for block in &mut blocks {
        let (lo, hi) = block.split_at(4);
        h1 = (h1 ^ mix1(le32(lo)))
            .rotate_left(19)
            .wrapping_add(h2)
            .wrapping_mul(5)
            .wrapping_add(0x561c_cd1b);
        h2 = (h2 ^ mix2(le32(hi)))
            .rotate_left(13)
            .wrapping_add(h1)
            .wrapping_mul(5)
            .wrapping_add(0x0bca_a747);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let (lo, hi) = tail.split_at(tail.len().min(4));
        h1 ^= mix1(le32(lo));
        if !hi.is_empty() {
            h2 ^= mix2(le32(hi));
        }
    }
    let len = data.len() as u32; // .NET uses the (32-bit) length
    h1 ^= len;
    h2 ^= len;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (u64::from(h2) << 32) | u64::from(h1)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known outputs of the real ARM engine (Azure.Deployments.Expression).

    #[test]
    fn guid_known_output() {
        // Azure/bicep, src/Bicep.Core.Samples/Files/baselines_bicepparam/
        // Expressions/parameters.json: `guid('asdf')`, evaluated by the ARM
        // expression engine when compiling parameters.bicepparam.
        assert_eq!(guid(&["asdf"]), "228d27cc-6fdb-5934-b7ac-1efccebade04");
    }

    #[test]
    fn guid_shape_and_join() {
        let g = guid(&["a", "b"]);
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "5");
        assert!(matches!(&g[19..20], "8" | "9" | "a" | "b"));
        // Arguments are joined with '-' (JoinStringParametersWithDash).
        assert_eq!(g, guid(&["a-b"]));
        assert_ne!(g, guid(&["ab"]));
    }

    #[test]
    fn unique_string_bicep_baseline() {
        // Azure/bicep, baselines_bicepparam/Expressions/parameters.json:
        // `uniqueString('asd', 'asdf', 'asdf')` => "iizpqit7ih3cc".
        assert_eq!(unique_string(&["asd", "asdf", "asdf"]), "iizpqit7ih3cc");
    }

    #[test]
    fn unique_string_arm_deployment_outputs() {
        // KingslandConsulting/Kingsland.ArmLinter,
        // src/Kingsland.ArmLinter/Functions/ArmFunctions_UniqueString.cs:
        // outputs of a real New-AzResourceGroupDeployment quoted in a comment.
        assert_eq!(unique_string(&["aaa"]), "zavj67f3en4hc");
        assert_eq!(unique_string(&["bbb"]), "w5eragfxe33cy");
        assert_eq!(unique_string(&["zzz"]), "cryksdzzzawae");
        assert_eq!(unique_string(&["xxx", "yyy", "zzz"]), "lghi7k5js7itq");
    }

    #[test]
    fn unique_string_microsoft_repos() {
        // microsoft/commercial-marketplace-offer-deploy, ArmFunctionsTests.cs
        // (namespace Modm.Tests.UnitTests): "value created from ARM template",
        // and the test computes it with Azure.Deployments.Expression itself.
        // (An earlier revision, test/Tests/ArmFunctionsTests.cs, had a wrong
        // expected value "yeygmhukyx3qg" that the later revision corrected.)
        // 150 bytes: 18 full blocks and a 6-byte tail.
        let id = "/subscriptions/31e9f9a0-9fd2-4294-a0a3-0101246d9700/resourceGroups/\
                  rg-modm201-20230913120256/providers/Microsoft.Compute/virtualMachines/\
                  bobjacmodm201";
        assert_eq!(id.len(), 150);
        assert_eq!(unique_string(&[id]), "yvjxno3je5on2");
        // Azure/terraform-provider-azapi,
        // internal/services/functions/unique_string_function_test.go.
        let parts = ["/subscriptions/00000000-0000-0000-0000-000000000000", "resource-id"];
        assert_eq!(unique_string(&parts), "cwvxuqg24sifi");
    }

    #[test]
    fn unique_string_every_tail_length() {
        // Exercise all tail lengths 0..=7 and multi-block input; values from
        // the bash reimplementation's self-test (`uniquestring.sh --test`).
        assert_eq!(unique_string(&["test"]), "rbgf3xv4ufgzg");
        assert_eq!(unique_string(&["hello", "world"]), "a7wkljktk6wne");
        assert_eq!(unique_string(&["abc"]), "cgtzqvhu4i23s");
        assert_eq!(unique_string(&["foo", "bar", "baz"]), "xzi4ioaxtmth4");
        let rg = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg";
        assert_eq!(unique_string(&[rg]), "bmg7c6xu4tw46");
        for n in 0..20 {
            assert_eq!(unique_string(&["x".repeat(n)]).len(), 13);
        }
    }
}
