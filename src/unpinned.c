// SPDX-License-Identifier: GPL-2.0
/*
 * File operations that do not pin the module, so that rmmod works while
 * a launch write is blocked (the guest is stopped and the writer gets
 * ENODEV).
 *
 * debugfs guards every open, read and write against removal: once a
 * file is removed, new calls fail and removal waits for calls in flight.
 * Only release is unguarded.  It reads the file_operations structure and
 * calls its release function after the module may be gone.  So the
 * per-CPU files use a copy of their operations with no owner, whose only
 * post-removal entry point (single_release) is core kernel code, and the
 * copy lives in the heap.  It is freed at unload only once no removed
 * file is still open.  An open file holds a reference on its dentry until
 * release has returned, so the dentry's count says when that is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kmemleak.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "vmxhv.h"

/* A removed file that was still open: we hold one dentry reference. */
struct lingering {
	struct list_head node;
	struct dentry *dentry;
};

static const struct file_operations *fops;
static LIST_HEAD(lingering);
static DEFINE_MUTEX(lingering_lock);
static bool keep_fops;		/* a file may outlive the module: never free */

/* How long unload waits for the holders of removed files to close them. */
#define UNLOAD_WAIT_MS	1000

/* @tmpl has no owner and no release of the module's own. */
const struct file_operations *vmxhv_unpinned_init(const struct file_operations *tmpl)
{
	fops = kmemdup(tmpl, sizeof(*tmpl), GFP_KERNEL);
	return fops;
}

/* Only our own reference left: no open file, no release in flight. */
static bool closed(struct dentry *d)
{
	return d_count(d) <= 1;
}

/* Drop the lingering files that have been closed; true if none is left. */
static bool reap(void)
{
	struct lingering *l, *tmp;

	list_for_each_entry_safe(l, tmp, &lingering, node) {
		if (!closed(l->dentry))
			continue;
		dput(l->dentry);
		list_del(&l->node);
		kfree(l);
	}
	return list_empty(&lingering);
}

/*
 * @d was returned by debugfs_create_file() with fops from
 * vmxhv_unpinned_init(), taken with dget(), and has just been removed.
 */
void vmxhv_unpinned_removed(struct dentry *d)
{
	struct lingering *l;

	if (closed(d)) {
		dput(d);
		return;
	}
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	mutex_lock(&lingering_lock);
	reap();		/* files of earlier removals closed since */
	if (l) {
		l->dentry = d;
		list_add(&l->node, &lingering);
	} else {
		keep_fops = true;
		dput(d);
	}
	mutex_unlock(&lingering_lock);
}

/* After every per-CPU directory is gone. */
void vmxhv_unpinned_exit(void)
{
	struct lingering *l, *tmp;
	unsigned int waited = 0;
	bool open = false;

	mutex_lock(&lingering_lock);
	/* A writer that got ENODEV usually closes its file right away. */
	while (!reap() && waited < UNLOAD_WAIT_MS) {
		mutex_unlock(&lingering_lock);
		msleep(20);
		waited += 20;
		mutex_lock(&lingering_lock);
	}
	list_for_each_entry_safe(l, tmp, &lingering, node) {
		open = true;
		dput(l->dentry);
		list_del(&l->node);
		kfree(l);
	}
	mutex_unlock(&lingering_lock);
	if (open || keep_fops) {
		pr_notice("per-CPU files still open at unload: keeping their %zu-byte file operations\n",
			  sizeof(*fops));
		kmemleak_not_leak(fops);
	} else {
		kfree(fops);
	}
	fops = NULL;
	keep_fops = false;
}
