/**
 * Which files `docker build` sends as its context, by the rules of .dockerignore: patterns are
 * matched in order against paths relative to the context, the last match wins, and `!` re-includes.
 * Enough of the syntax for this repository (`*`, `**`, `?`, directory prefixes).
 */

function patternToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*' && pattern.charAt(i + 1) === '*') {
      re += '.*';
      i++;
      if (pattern.charAt(i + 1) === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern naming a directory covers everything below it.
  return new RegExp(`^${re}(/.*)?$`);
}

export function inBuildContext(path: string, dockerignore: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => ({
      include: line.startsWith('!'),
      re: patternToRegExp(line.replace(/^!/, '').replace(/^\/+|\/+$/g, '')),
    }));
  let included = true;
  for (const rule of rules) if (rule.re.test(path)) included = rule.include;
  return included;
}
