import { describe, expect, it } from 'vitest';
import { displayFolder, projectOverride } from '../../../electron/core/router/project-tier';

describe('projectOverride', () => {
  it('finds the deepest folder that contains the project, whatever the trailing slashes', () => {
    const projects = { '/a/b/': { tier: 'fast' as const }, '/a/b/c': { tier: 'strong' as const }, '/': { tier: 'local' as const } };
    expect(projectOverride('/a/b', projects)).toEqual({ folder: '/a/b', tier: 'fast' });
    expect(projectOverride('/a/b/c/d/', projects)).toEqual({ folder: '/a/b/c', tier: 'strong' });
    expect(projectOverride('/a/bc', projects)).toEqual({ folder: '/', tier: 'local' });
    expect(projectOverride('/a/b', undefined)).toBeNull();
    expect(projectOverride(undefined, projects)).toBeNull();
  });

  it('matches Windows folders by their own separator', () => {
    expect(projectOverride('C:\\code\\api\\web', { 'C:\\code\\api': { tier: 'fast' } })).toEqual({ folder: 'C:\\code\\api', tier: 'fast' });
    expect(projectOverride('C:\\code\\apiary', { 'C:\\code\\api': { tier: 'fast' } })).toBeNull();
  });
});

describe('displayFolder', () => {
  it('shortens the home folder to ~ and leaves other paths alone', () => {
    expect(displayFolder('/Users/ada/code/api', '/Users/ada')).toBe('~/code/api');
    expect(displayFolder('/Users/ada', '/Users/ada/')).toBe('~');
    expect(displayFolder('/Users/adam/x', '/Users/ada')).toBe('/Users/adam/x');
    expect(displayFolder('/srv/x', null)).toBe('/srv/x');
  });
});
