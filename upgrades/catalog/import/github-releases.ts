/**
 * A GitHub releases API export (`gh api repos/OWNER/REPO/releases --paginate > releases.json`,
 * with or without --slurp):
 * tag, publication time and the Markdown body, whose bullets become entries under the heading
 * they stand below.
 */
import { z } from 'zod';
import { issueText, parsePagedArray } from './json-text';
import { releaseVersion, type SourceProblem, type UpstreamEntry, type UpstreamRelease, type UpstreamReleases } from './upstream';

// Only the fields the importer reads; GitHub sends many more, which are ignored on purpose.
const githubRelease = z.object({
  tag_name: z.string(),
  published_at: z.string().nullable(),
  body: z.string().nullable().optional(),
  draft: z.boolean().optional(),
  prerelease: z.boolean().optional(),
});

const TAG_VERSION = /(?:^|[^0-9.])v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)$/;

function bodyEntries(body: string): UpstreamEntry[] {
  const entries: UpstreamEntry[] = [];
  let section: string | undefined;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^#{1,6}\s+(.+)$/.exec(line);
    if (heading) {
      section = heading[1].replace(/[*_`:]/g, '').trim();
      continue;
    }
    const bullet = /^[-*+]\s+(.+)$/.exec(line);
    if (bullet) entries.push(section ? { text: bullet[1].trim(), section } : { text: bullet[1].trim() });
  }
  return entries;
}

export function parseGithubReleases(file: string, text: string): UpstreamReleases {
  const parsed = parsePagedArray(file, text);
  if (parsed.raw === undefined) return { releases: [], skipped: [], problems: parsed.issues.map((i) => ({ where: file, problem: issueText(i) })) };
  if (!Array.isArray(parsed.raw)) {
    return { releases: [], skipped: [], problems: [{ where: file, problem: 'expected the JSON array the GitHub releases API returns; export it with gh api repos/OWNER/REPO/releases --paginate' }] };
  }
  const releases: UpstreamRelease[] = [];
  const skipped: SourceProblem[] = [];
  const problems: SourceProblem[] = [];
  const seen = new Set<string>();
  for (const [i, item] of (parsed.raw as unknown[]).entries()) {
    const where = `${file} [${i}]`;
    const r = githubRelease.safeParse(item);
    if (!r.success) {
      problems.push({ where, problem: `not a GitHub release object: ${r.error.issues.map((x) => `${x.path.join('.') || '(item)'} ${x.message}`).join('; ')}` });
      continue;
    }
    const { tag_name: tag, published_at: published, draft, prerelease } = r.data;
    const version = TAG_VERSION.exec(tag)?.[1];
    if (draft) skipped.push({ where, problem: `${tag} is a draft` });
    else if (version === undefined) skipped.push({ where, problem: `tag ${JSON.stringify(tag)} names no X.Y.Z version` });
    else if (releaseVersion(version).problem !== undefined) problems.push({ where, problem: `tag ${tag}: ${releaseVersion(version).problem}` });
    else if (prerelease || !releaseVersion(version).release) skipped.push({ where, problem: `${tag} is a prerelease` });
    else if (published === null || Number.isNaN(Date.parse(published))) problems.push({ where, problem: `${tag} has no valid published_at time` });
    else if (seen.has(version)) problems.push({ where, problem: `release ${version} appears twice` });
    else {
      seen.add(version);
      releases.push({ version, date: new Date(published).toISOString().slice(0, 10), entries: bodyEntries(r.data.body ?? ''), source: `${file} ${tag}` });
    }
  }
  return { releases, skipped, problems };
}
